"""The offline asset cache: what Solara asks for, and filling it from npm tarballs."""

import re
import subprocess
import sys
from pathlib import Path

import solara

from dashboards import assets

SOLARA = Path(solara.__file__).parent


def test_the_list_covers_every_asset_solara_asks_the_cdn_for():
    """Fails when a Solara upgrade changes an asset's version: update PACKAGES then."""
    template = (SOLARA / "server/templates/solara.html.j2").read_text()
    asked = set(re.findall(r"\{\{cdn\}\}/(@?[\w.-]+(?:/[\w.-]+)?@\d+\.\d+\.\d+)/", template))
    asked = {a for a in asked if "vuetify3" not in a}  # the Vue 3 app, unused with ipyvue < 3
    asked |= set(re.findall(r"getCdn\(\)\}/([\w.-]+@\d+\.\d+\.\d+)/", (SOLARA / "components/markdown.py").read_text()))
    from solara.server import settings

    asked.add(settings.assets.fontawesome_path.split("/")[1])
    assert asked == {f"{name}@{version}" for name, version in assets.PACKAGES}


def test_this_installation_has_every_asset():
    """scripts/test.sh fills the cache before the tests (python -m dashboards.assets)."""
    assert assets.missing() == []
    assert assets.main(["--check"]) == 0


FAKE_NPM = """#!{python}
# 'npm pack SPEC --silent --pack-destination DIR': writes a small tarball of SPEC and prints its name
import io, pathlib, sys, tarfile
spec, dest = sys.argv[2], pathlib.Path(sys.argv[sys.argv.index("--pack-destination") + 1])
name = spec.replace("@", "").replace("/", "-") + ".tgz"
with tarfile.open(dest / name, "w:gz") as tar:
    for member, text in (("package/package.json", "{{}}"), ("package/dist/a.js", "x"), ("package/require.js", "r")):
        info = tarfile.TarInfo(member)
        info.size = len(text)
        tar.addfile(info, io.BytesIO(text.encode()))
print(name)
"""


def test_fill_unpacks_each_missing_package_and_its_aliases(tmp_path):
    fake_npm = tmp_path / "npm"
    fake_npm.write_text(FAKE_NPM.format(python=sys.executable))
    fake_npm.chmod(0o755)
    cache = tmp_path / "cdn"
    (cache / "requirejs@2.3.6").mkdir(parents=True)  # half there: no package.json
    added = assets.fill(cache, npm=str(fake_npm))
    assert added == [f"{n}@{v}" for n, v in assets.PACKAGES] + list(assets.ALIASES) + list(assets.LOCAL_FILES)
    assert assets.missing(cache) == []
    assert (cache / "@widgetti/solara-vuetify-app@10.1.1/dist/a.js").read_text() == "x"
    assert (cache / "requirejs@2.3.6/require.min.js").is_file()
    assert (cache / assets.PLOTLY_BUNDLE).read_bytes() == assets.LOCAL_FILES[assets.PLOTLY_BUNDLE].read_bytes()
    assert assets.fill(cache, npm=str(fake_npm)) == []
    assert not [p for p in cache.rglob(".*")]  # no staging folders left behind


def test_a_failing_npm_is_reported(tmp_path, capsys, monkeypatch):
    monkeypatch.setenv("SOLARA_ASSETS_PROXY_CACHE_DIR", str(tmp_path))
    monkeypatch.setattr(assets, "cache_dir", lambda: tmp_path)
    monkeypatch.setattr(assets, "fill", lambda cache: (_ for _ in ()).throw(
        subprocess.CalledProcessError(1, ["npm"], stderr="npm error 404 Not Found")))
    assert assets.main([]) == 1
    assert "404" in capsys.readouterr().err
