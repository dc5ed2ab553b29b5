"""ABC-SMC (approximate Bayesian computation by sequential Monte Carlo) on a batched simulator.

Population Monte Carlo as in Beaumont, Cornuet, Marin & Robert (2009, Biometrika 96) with the
tolerance of each generation set to a quantile of the previous generation's distances (Del Moral,
Doucet & Jasra 2012). Why not pyabc: it evaluates one particle per model call, and this model costs
about 20 times less per run in batches of hundreds (docs/PERFORMANCE.md), so a generation's
proposals are drawn first and simulated together here.

Only the *calibrated* coordinates (those the targets inform, chosen on the first generation) are
perturbed by the Gaussian kernel; every other uncertainty is drawn afresh from its prior in each
proposal. That proposal is still a valid importance density for the whole parameter vector, and
the weight ``prior / proposal`` of the fresh coordinates is exactly 1, so a hundred uninformed
parameters cannot make the weights degenerate.

A generation is simulated in chunks with seeds fixed by (root seed, generation, chunk), so the
accepted particles do not depend on the number of workers, and ``store`` lets a killed
calibration resume at the chunk it was in.
"""

from __future__ import annotations

import os
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Protocol, Sequence

import numpy as np

NOISE_RHO = 4.0  # a rank correlation this many standard errors (1 / sqrt(n)) from 0 is not chance among ~100 tried
# simulate(theta: m x d, seeds: m) -> distances (m,), summary statistics (m x k)
Simulator = Callable[[np.ndarray, Sequence[int]], tuple[np.ndarray, np.ndarray]]


class PriorSet(Protocol):
    """Independent priors over d coordinates."""

    def sample(self, u: np.ndarray) -> np.ndarray:
        """m x d uniforms -> m x d values (inverse distribution functions)."""

    def density(self, theta: np.ndarray, columns: np.ndarray) -> np.ndarray:
        """Product of the prior densities of ``columns`` for each row of ``theta`` (0 outside the support)."""


@dataclass(frozen=True)
class Settings:
    particles: int = 400  # accepted particles per generation
    first: int = 2000  # prior simulations of generation 0 (also used to choose the calibrated coordinates)
    quantile: float = 0.5  # a generation's tolerance: this quantile of the previous one's distances
    epsilon_min: float = 1.0  # the final tolerance (1: within the stated tolerances together)
    min_ess: float = 0.5  # at the final tolerance, generations go on until their pooled ESS is this share of particles
    min_acceptance: float = 0.03  # stop when a generation accepts fewer of its proposals than this
    budget: int = 20000  # simulations in all, generation 0 included
    chunk: int = 256  # proposals simulated together
    max_calibrated: int = 12  # coordinates perturbed by the kernel at most
    min_correlation: float = 0.1  # |Spearman rho| with a target's deviation that makes a coordinate calibrated, at least
    generations: int = 12  # at most


@dataclass
class Generation:
    """The accepted particles of one generation (weights sum to 1)."""

    t: int
    epsilon: float
    theta: np.ndarray  # particles x d
    weights: np.ndarray
    distances: np.ndarray
    stats: np.ndarray  # particles x k
    simulations: int  # proposals simulated to accept them

    @property
    def acceptance(self) -> float:
        return len(self.weights) / max(self.simulations, 1)

    @property
    def ess(self) -> float:
        """Effective sample size of the weights."""
        return float(1.0 / np.sum(np.square(self.weights)))


def chunk_seeds(seed: int, t: int, c: int, n: int) -> list[int]:
    """Replicate seeds of chunk ``c`` of generation ``t``: fixed by position, never by scheduling."""
    children = np.random.SeedSequence([seed, t, c]).spawn(n)
    return [int(ch.generate_state(1, dtype=np.uint64)[0] >> np.uint64(1)) for ch in children]


def rng_for(seed: int, t: int, c: int) -> np.random.Generator:
    """Proposal numbers of chunk ``c`` of generation ``t`` (a stream apart from the replicate seeds)."""
    return np.random.default_rng(np.random.SeedSequence([seed, t, c, 0xABC]))


def spearman(x: np.ndarray, y: np.ndarray) -> np.ndarray:
    """Rank correlation of each column of x (n x d) with y (n,); 0 for a constant column."""
    rx = np.argsort(np.argsort(x, axis=0, kind="stable"), axis=0, kind="stable").astype(float)
    ry = np.argsort(np.argsort(y, kind="stable"), kind="stable").astype(float)
    rx -= rx.mean(axis=0)
    ry -= ry.mean()
    den = np.sqrt(np.sum(rx**2, axis=0) * np.sum(ry**2))
    return np.divide(rx.T @ ry, den, out=np.zeros(x.shape[1]), where=den > 0)


def choose_calibrated(theta: np.ndarray, deviations: np.ndarray, candidates: np.ndarray, settings: Settings) -> np.ndarray:
    """Coordinates whose prior draws correlate with a target's deviation (finite rows only), strongest first."""
    ok = np.all(np.isfinite(deviations), axis=1)
    strength = np.zeros(theta.shape[1])
    for k in range(deviations.shape[1]):
        strength = np.maximum(strength, np.abs(spearman(theta[ok], deviations[ok, k])))
    strength[~candidates] = 0.0
    order = np.argsort(-strength, kind="stable")
    floor = max(settings.min_correlation, NOISE_RHO / np.sqrt(max(ok.sum(), 1)))  # above chance among many
    chosen = [j for j in order[: settings.max_calibrated] if strength[j] >= floor]
    return np.array(sorted(chosen), dtype=np.int64)


def kernel_covariance(theta: np.ndarray, weights: np.ndarray) -> np.ndarray:
    """Twice the weighted covariance of the particles (Beaumont et al. 2009), kept positive definite."""
    cov = 2.0 * np.atleast_2d(np.cov(theta, rowvar=False, aweights=weights))
    scale = np.maximum(np.diag(cov), 1e-12)
    return cov + np.diag(scale * 1e-9)


def weights_for(new: np.ndarray, old: Generation, columns: np.ndarray, prior: PriorSet, cov: np.ndarray) -> np.ndarray:
    """Importance weights prior / proposal of the calibrated coordinates (the others are drawn from the prior)."""
    x, y = new[:, columns], old.theta[:, columns]
    inv = np.linalg.inv(cov)
    _, logdet = np.linalg.slogdet(cov)
    diff = x[:, None, :] - y[None, :, :]
    log_k = -0.5 * np.einsum("nmi,ij,nmj->nm", diff, inv, diff) - 0.5 * logdet
    shift = log_k.max(axis=1, keepdims=True)
    proposal = np.log(np.exp(log_k - shift) @ old.weights) + shift[:, 0]
    w = prior.density(new, columns) * np.exp(-(proposal - proposal.max()))
    return w / w.sum()


def propose(old: Generation, columns: np.ndarray, prior: PriorSet, cov: np.ndarray, rng: np.random.Generator,
            n: int) -> np.ndarray:
    """n proposals: a particle picked by weight, its calibrated coordinates moved by the kernel (again until inside
    the prior's support), the rest drawn from the prior."""
    d = old.theta.shape[1]
    out = prior.sample(rng.random((n, d)))
    todo = np.arange(n)
    chol = np.linalg.cholesky(cov)
    for _ in range(1000):
        if not len(todo):
            return out
        pick = rng.choice(len(old.weights), size=len(todo), p=old.weights)
        moved = old.theta[pick][:, columns] + rng.standard_normal((len(todo), len(columns))) @ chol.T
        out[np.ix_(todo, columns)] = moved
        todo = todo[prior.density(out[todo], columns) <= 0]
    raise RuntimeError("the kernel keeps proposing outside the prior's support")


def accept(distances: np.ndarray, epsilon: float) -> np.ndarray:
    """Indices of the proposals within the tolerance (an undefined distance is infinite: never accepted)."""
    return np.flatnonzero(distances <= epsilon)


def resample(g: Generation, n: int, seed: int) -> np.ndarray:
    """Row indices of an equally weighted ensemble of n particles (systematic resampling)."""
    rng = np.random.default_rng(np.random.SeedSequence([seed, 0x5A3]))
    positions = (rng.random() + np.arange(n)) / n
    return np.minimum(np.searchsorted(np.cumsum(g.weights), positions), len(g.weights) - 1)


def distance(deviations: np.ndarray) -> np.ndarray:
    """Euclidean norm of the targets' deviations in units of their tolerances (inf where one is undefined): at most 1
    means within the stated tolerances together."""
    d = np.sqrt(np.sum(np.square(deviations), axis=1))
    return np.where(np.isfinite(d), d, np.inf)


def pooled(generations: Sequence[Generation]) -> Generation:
    """The generations at the last one's tolerance as one weighted sample (weights in proportion to each one's ESS)."""
    same = [g for g in generations if g.epsilon == generations[-1].epsilon]
    if len(same) == 1:
        return same[0]
    share = np.array([g.ess for g in same]) / sum(g.ess for g in same)
    return Generation(same[-1].t, same[-1].epsilon, np.concatenate([g.theta for g in same]),
                      np.concatenate([g.weights * w for g, w in zip(same, share)]),
                      np.concatenate([g.distances for g in same]), np.concatenate([g.stats for g in same]),
                      sum(g.simulations for g in same))


class Store(Protocol):
    """Where a calibration keeps its chunks and generations, so that a killed one resumes."""

    def load(self, key: str) -> dict[str, np.ndarray] | None: ...

    def save(self, key: str, arrays: dict[str, np.ndarray]) -> None: ...


class FolderStore:
    """Chunks as ``.npz`` files in a folder, each written whole (temporary file, then rename)."""

    def __init__(self, folder: Path):
        self.folder = folder

    def load(self, key: str) -> dict[str, np.ndarray] | None:
        path = self.folder / f"{key}.npz"
        if not path.is_file():
            return None
        with np.load(path) as data:
            return {k: data[k] for k in data.files}

    def save(self, key: str, arrays: dict[str, np.ndarray]) -> None:
        fd, tmp = tempfile.mkstemp(dir=self.folder, prefix=f".{key}.", suffix=".npz")
        try:
            with os.fdopen(fd, "wb") as fh:
                np.savez(fh, **arrays)
                fh.flush()
                os.fsync(fh.fileno())
            os.replace(tmp, self.folder / f"{key}.npz")
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise


class MemoryStore(dict):
    """Chunks kept in memory (twin experiments and tests)."""

    def load(self, key: str) -> dict[str, np.ndarray] | None:
        return self.get(key)

    def save(self, key: str, arrays: dict[str, np.ndarray]) -> None:
        self[key] = arrays


@dataclass
class Result:
    generations: list[Generation]
    calibrated: np.ndarray  # coordinates the kernel moved
    simulations: int
    stopped: str  # why the sequence ended
    prior_theta: np.ndarray  # generation 0: every prior draw, its deviations (for screening and prior predictive checks)
    prior_deviations: np.ndarray
    prior_stats: np.ndarray

    @property
    def last(self) -> Generation:
        return self.generations[-1]

    @property
    def final(self) -> Generation:
        """The posterior: every generation at the last generation's tolerance pooled, each weighted in proportion to
        its effective sample size (each is an importance sample of the same ABC posterior)."""
        return pooled(self.generations)


def _chunk(store: Store, key: str, make: Callable[[], np.ndarray], simulate: Simulator,
           seeds: Sequence[int]) -> dict[str, np.ndarray]:
    found = store.load(key)
    if found is not None:
        return found
    theta = make()
    deviations, stats = simulate(theta, seeds)
    arrays = {"theta": theta, "deviations": np.asarray(deviations, float), "stats": np.asarray(stats, float)}
    store.save(key, arrays)
    return arrays


def run(simulate: Simulator, prior: PriorSet, d: int, candidates: np.ndarray, settings: Settings, seed: int,
        store: Store, log: Callable[[str], None] = lambda _: None,
        on_chunk: Callable[[int], None] = lambda _: None) -> Result:
    """Generations until the tolerance reaches ``epsilon_min`` with an effective sample size of at least ``min_ess``
    (generations at the final tolerance are pooled: ``Result.final``),
    acceptance falls below ``min_acceptance``, or the budget or the generation count runs out. ``candidates`` marks the coordinates the kernel may move (real-valued ones)."""
    s = settings
    if s.first < s.particles or s.budget < s.first:
        raise ValueError(f"calibration settings: need particles <= first <= budget (got {s.particles}, {s.first}, "
                         f"{s.budget})")
    parts = []
    for c, start in enumerate(range(0, s.first, s.chunk)):
        m = min(s.chunk, s.first - start)
        parts.append(_chunk(store, f"g0-c{c}", lambda: prior.sample(rng_for(seed, 0, c).random((m, d))), simulate,
                            chunk_seeds(seed, 0, c, m)))
        on_chunk(m)
    theta0 = np.concatenate([p["theta"] for p in parts])
    dev0 = np.concatenate([p["deviations"] for p in parts])
    stats0 = np.concatenate([p["stats"] for p in parts])
    dist0 = distance(dev0)
    # rejection ABC: the best ``particles`` draws, or every draw within ``epsilon_min`` if there are more
    finite = np.sort(dist0[np.isfinite(dist0)])
    if len(finite) < s.particles:
        raise ValueError(f"calibration: only {len(finite)} of {s.first} prior draws give every target a value; "
                         f"need at least {s.particles} (--particles)")
    epsilon0 = max(float(finite[s.particles - 1]), s.epsilon_min)
    best = np.flatnonzero(dist0 <= epsilon0)
    g = Generation(0, epsilon0, theta0[best], np.full(len(best), 1.0 / len(best)), dist0[best], stats0[best], s.first)
    columns = choose_calibrated(theta0, dev0, candidates, s)
    log(f"generation 0: {s.first} prior draws, {len(best)} within tolerance {g.epsilon:.3g}; "
        f"{len(columns)} coordinates informed by the targets")
    generations, used, stopped = [g], s.first, "generations"
    for t in range(1, s.generations):
        if g.epsilon <= s.epsilon_min and pooled(generations).ess >= s.min_ess * s.particles:
            stopped = "tolerance reached"
            break
        if not len(columns):
            stopped = "no coordinate is informed by the targets"
            break
        epsilon = max(float(np.quantile(g.distances, s.quantile)), s.epsilon_min)
        cov = kernel_covariance(g.theta[:, columns], g.weights)
        got: list[dict[str, np.ndarray]] = []
        accepted, simulated, c = 0, 0, 0
        while accepted < s.particles:
            if used + s.chunk > s.budget:
                stopped = "budget spent"
                break
            if simulated >= s.chunk and accepted < s.min_acceptance * simulated:
                stopped = f"acceptance below {s.min_acceptance:g}"
                break
            prev = g
            part = _chunk(store, f"g{t}-c{c}", lambda: propose(prev, columns, prior, cov, rng_for(seed, t, c), s.chunk),
                          simulate, chunk_seeds(seed, t, c, s.chunk))
            on_chunk(s.chunk)
            keep = accept(distance(part["deviations"]), epsilon)
            got.append({k: v[keep] for k, v in part.items()})
            accepted += len(keep)
            simulated += s.chunk
            used += s.chunk
            c += 1
        if accepted < s.particles:
            break
        theta = np.concatenate([p["theta"] for p in got])[: s.particles]
        dev = np.concatenate([p["deviations"] for p in got])[: s.particles]
        stats = np.concatenate([p["stats"] for p in got])[: s.particles]
        g = Generation(t, epsilon, theta, weights_for(theta, g, columns, prior, cov), distance(dev), stats, simulated)
        generations.append(g)
        log(f"generation {t}: tolerance {epsilon:.3g}, acceptance {g.acceptance:.3f}, ESS {g.ess:.0f}, "
            f"{used} simulations in all")
    else:
        stopped = "generations"
    final = pooled(generations)
    if stopped == "generations" and final.epsilon <= s.epsilon_min and final.ess >= s.min_ess * s.particles:
        stopped = "tolerance reached"
    return Result(generations, columns, used, stopped, theta0, dev0, stats0)
