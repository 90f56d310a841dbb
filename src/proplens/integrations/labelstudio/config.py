"""The Label Studio labeling config: the article as a ``Text`` object, the techniques as ``Labels``.

The 14 SemEval-2020 names are the default; the 18 PTC or 23 SemEval-2023 names
are offered for teams that annotate in a finer scheme (the import maps them back
onto the 14). Colours are proplens' own, so pre-annotations look as on the page.
"""

from __future__ import annotations

from xml.sax.saxutils import quoteattr

from proplens.techniques import BY_NAME, NAMES, PTC_18, SEMEVAL_2023, map_to_14

FROM_NAME = "label"
"""``from_name`` of every region: the ``Labels`` control."""
TO_NAME = "text"
"""``to_name`` of every region: the ``Text`` object showing ``data.text``."""

TAXONOMIES: dict[str, tuple[str, ...]] = {"14": NAMES, "18": PTC_18, "23": SEMEVAL_2023}
_UNMAPPED_COLOR = "#bdbdbd"  # techniques with no equivalent among the 14
# Digits, then letters; "u" (unselect a region) and a few others Label Studio keeps for itself.
_HOTKEYS = "1234567890qwyiopsdfgjklxvbnm"


def labeling_config(taxonomy: str = "14") -> str:
    """The XML config for a project whose tasks come from ``proplens labelstudio export``."""
    if taxonomy not in TAXONOMIES:
        raise ValueError(f"unknown taxonomy {taxonomy!r}; choose from {', '.join(TAXONOMIES)}")
    labels = "\n".join(
        _label_line(name, _HOTKEYS[i] if i < len(_HOTKEYS) else None)
        for i, name in enumerate(TAXONOMIES[taxonomy])
    )
    return (
        "<View>\n"
        '  <Header value="$title"/>\n'
        f'  <Labels name="{FROM_NAME}" toName="{TO_NAME}" showInline="true">\n'
        f"{labels}\n"
        "  </Labels>\n"
        f'  <Text name="{TO_NAME}" value="$text" granularity="symbol"/>\n'
        "</View>\n"
    )


def _label_line(name: str, hotkey: str | None) -> str:
    target = map_to_14(name)
    technique = BY_NAME[target] if target else None
    attrs = {
        "value": name,
        "background": technique.color if technique else _UNMAPPED_COLOR,
        "hint": technique.definition if technique else "No equivalent among the 14 techniques.",
    }
    if hotkey:
        attrs["hotkey"] = hotkey
    return "    <Label " + " ".join(f"{k}={quoteattr(v)}" for k, v in attrs.items()) + "/>"
