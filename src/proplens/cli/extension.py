"""``proplens extension``: write the browser extension shipped with proplens."""

from __future__ import annotations

import argparse

from proplens.errors import ProplensError


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "extension",
        help="write the browser extension (to load unpacked, or a store archive)",
        description="Write the proplens browser extension shipped with this package: --output "
        "DIR the unpacked extension to load in Chromium (chrome://extensions, Load unpacked) "
        "or Firefox (about:debugging, Load Temporary Add-on); --zip FILE the archive an "
        "extension store takes. See docs/extension.md.",
    )
    parser.add_argument("--output", metavar="DIR", help="folder to write the unpacked extension to")
    parser.add_argument("--zip", metavar="FILE", help="write the store archive (.zip) to FILE")
    parser.add_argument("--force", action="store_true", help="replace an existing --zip FILE")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from proplens.extension import chromium_id, manifest, write_unpacked, write_zip

    if not args.output and not args.zip:
        raise ProplensError("give --output DIR, --zip FILE or both")
    if args.output:
        out = write_unpacked(args.output)
        origin = f"chrome-extension://{chromium_id(manifest())}"
        print(f"proplens: wrote the unpacked extension to {out}")
        print(f"proplens: start the server with: proplens serve --trust-origin {origin}")
    if args.zip:
        print(f"proplens: wrote the store archive {write_zip(args.zip, force=args.force)}")
    return 0
