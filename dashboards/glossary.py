"""Official Belgian terms in Dutch, French and English, declared once.

Every dashboard label that names an institution, a procedure or a sanction takes the
term from here (as a ``{key}`` placeholder), so a term reads the same on every page and
in the glossary panel. Terms are written as they appear mid-sentence.
"""

from __future__ import annotations

import functools
from types import MappingProxyType
from typing import Mapping

LANGUAGES: tuple[str, ...] = ("nl", "fr", "en")  # Belgium's workshop languages, in switch order

# key: (Dutch, French, English)
TERMS: Mapping[str, tuple[str, str, str]] = MappingProxyType({
    "justice_house": ("justitiehuis", "maison de justice", "house of justice"),
    "justice_assistant": ("justitieassistent", "assistant de justice", "justice assistant"),
    "social_welfare": ("OCMW", "CPAS", "public social welfare centre"),
    "local_cell": ("LIVC-R", "CSIL-R", "local integrated security cell (LISC-R)"),
    "sentence_court": ("strafuitvoeringsrechtbank", "tribunal de l'application des peines",
                       "sentence implementation court"),
    "threat_assessment": ("OCAD", "OCAM", "CUTA"),
    "conditional_release": ("voorwaardelijke invrijheidstelling", "libération conditionnelle", "conditional release"),
    "pretrial": ("voorlopige hechtenis", "détention préventive", "pre-trial detention"),
    "limited_detention": ("beperkte detentie", "détention limitée", "limited detention"),
    "electronic_monitoring": ("elektronisch toezicht", "surveillance électronique", "electronic monitoring"),
    "penitentiary_leave": ("penitentiair verlof", "congé pénitentiaire", "penitentiary leave"),
    "youth_protection": ("jeugdbescherming", "protection de la jeunesse", "youth protection"),
    "nationality_withdrawal": ("vervallenverklaring van de Belgische nationaliteit", "déchéance de la nationalité belge",
                               "deprivation of Belgian nationality"),
    "living_lab": ("Living Lab voor re-integratie (RELAB)", "Living Lab de réintégration (RELAB)",
                   "Returnee Reintegration Living Lab (RELAB)"),
    "returnee": ("terugkeerder", "returnee", "returnee"),
    "employment_service": ("VDAB / Actiris", "Le Forem / Actiris", "public employment service (VDAB, Le Forem, Actiris)"),
    "housing_service": ("huisvestingsdienst", "service du logement", "housing service"),
    "local_police": ("lokale politie", "police locale", "local police"),
    "psychosocial_service": ("psychosociale hulpverlening", "accompagnement psychosocial", "psychosocial care"),
    "counsellor": ("islamconsulent of moreel consulent", "conseiller islamique ou moral", "Islamic or moral counsellor"),
    "prison": ("gevangenis", "prison", "prison"),
    "drad_ex": ("D-Rad:Ex-afdeling", "section D-Rad:Ex", "D-Rad:Ex wing"),
    "municipality": ("gemeente", "commune", "municipality"),
    "sra": ("duurzame herstelgerichte aanpak (SRA)", "approche restauratrice durable (SRA)",
            "Sustainable Restorative Approach (SRA)"),
})


@functools.lru_cache(maxsize=len(LANGUAGES))
def terms(lang: str) -> Mapping[str, str]:
    """Every glossary term in one language, for ``str.format``."""
    i = LANGUAGES.index(lang)
    return MappingProxyType({key: names[i] for key, names in TERMS.items()})
