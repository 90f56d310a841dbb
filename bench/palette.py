"""Search the 14 technique colours: far apart for every reader, dark text readable on each.

    python bench/palette.py [--step 24] [--passes 4] [--contrast 4.5]

Candidates are sRGB colours on a grid that keep the page's text colour
(#111111) at a WCAG 2.1 contrast of at least ``--contrast`` (4.5 is AA for
normal text) and stay visibly away from white. A greedy farthest-point pick,
then swaps, maximise the smallest CIEDE2000 difference between any two
colours, taken as the worst over normal vision and simulated protanopia,
deuteranopia and tritanopia (Machado et al. 2009, full
severity, as coloraide implements them). Prints the palette and its figures;
tests/test_techniques.py checks the shipped colours against the thresholds.
Takes a few minutes; not a test. The defaults give the shipped palette (then
matched to the techniques by closeness to their earlier colours): smallest
difference 11.11 (normal 13.89, protan 11.11, deutan 11.19, tritan 11.82),
lowest contrast 4.57. With ``--contrast 7`` the best found is 7.03, with 6
it is 8.37 (``--step 32``): more contrast leaves less room between colours.
"""

from __future__ import annotations

import argparse
import itertools

from coloraide import Color

TEXT = "#111111"
VISIONS = (None, "protan", "deutan", "tritan")
MIN_CONTRAST = 4.5
MIN_FROM_WHITE = 12.0


def views(hex_color: str) -> list[Color]:
    """The colour as each kind of reader sees it, in CIELAB."""
    color = Color(hex_color)
    seen = [color if v is None else color.filter(v, method="machado") for v in VISIONS]
    return [c.convert("lab-d65") for c in seen]


def distance(a: list[Color], b: list[Color]) -> float:
    """The smallest CIEDE2000 difference between two colours over the four visions."""
    return min(x.delta_e(y, method="2000") for x, y in zip(a, b, strict=True))


def candidates(step: int, min_contrast: float) -> dict[str, list[Color]]:
    levels = sorted({*range(0, 256, step), 255})
    white = views("#ffffff")
    found = {}
    for r, g, b in itertools.product(levels, repeat=3):
        hex_color = f"#{r:02x}{g:02x}{b:02x}"
        if Color(TEXT).contrast(hex_color, method="wcag21") < min_contrast:
            continue
        seen = views(hex_color)
        if distance(seen, white) >= MIN_FROM_WHITE:
            found[hex_color] = seen
    return found


def worst(palette: list[str], pool: dict[str, list[Color]]) -> float:
    return min(distance(pool[a], pool[b]) for a, b in itertools.combinations(palette, 2))


def search(pool: dict[str, list[Color]], size: int, passes: int) -> list[str]:
    names = list(pool)
    palette = [names[0]]
    while len(palette) < size:  # greedy: the candidate farthest from those chosen
        palette.append(max(names, key=lambda c: min(distance(pool[c], pool[p]) for p in palette)))
    for _ in range(passes):  # swaps: replace one colour if the worst pair gets better
        improved = False
        for slot in range(size):
            others = palette[:slot] + palette[slot + 1 :]
            floor = min(distance(pool[a], pool[b]) for a, b in itertools.combinations(others, 2))
            current = min(distance(pool[palette[slot]], pool[o]) for o in others)
            best = max(names, key=lambda c: min(distance(pool[c], pool[o]) for o in others))
            gain = min(distance(pool[best], pool[o]) for o in others)
            if min(gain, floor) > min(current, floor) + 1e-6:
                palette[slot] = best
                improved = True
        if not improved:
            break
    return palette


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--step", type=int, default=24)
    parser.add_argument("--passes", type=int, default=4)
    parser.add_argument("--contrast", type=float, default=MIN_CONTRAST)
    args = parser.parse_args()
    pool = candidates(args.step, args.contrast)
    print(f"{len(pool)} candidate colours")
    palette = search(pool, 14, args.passes)
    print("palette:", " ".join(palette))
    print(f"smallest CIEDE2000 difference over the four visions: {worst(palette, pool):.2f}")
    for vision in VISIONS:
        seen = {c: views(c)[VISIONS.index(vision)] for c in palette}
        low = min(
            seen[a].delta_e(seen[b], method="2000") for a, b in itertools.combinations(palette, 2)
        )
        print(f"  {vision or 'normal'}: {low:.2f}")
    contrast = min(Color(TEXT).contrast(c, method="wcag21") for c in palette)
    print(f"lowest contrast of {TEXT} text: {contrast:.2f}")


if __name__ == "__main__":
    main()
