#!/usr/bin/env bash
# Unpack the compressed kernel inside an x86 bzImage into a plain ELF vmlinux.
# QEMU can boot that ELF directly through its PVH entry note, which skips the
# in-guest decompression (~2 s under TCG).
# Usage: extract-vmlinux.sh <bzImage> <out-vmlinux>
set -euo pipefail

bz=${1:?usage: extract-vmlinux.sh <bzImage> <out>}
out=${2:?usage: extract-vmlinux.sh <bzImage> <out>}

# Little-endian unsigned integer of <len> bytes at <offset>.
read_le() {
  od -An -tu"$2" -j "$1" -N "$2" --endian=little "$bz" | tr -d ' '
}

# x86 boot protocol: "HdrS" at 0x202; payload_offset/length (>= 2.08) at
# 0x248/0x24c, relative to the protected-mode code after the setup sectors.
magic=$(dd if="$bz" bs=1 skip=$((0x202)) count=4 status=none)
[[ $magic == HdrS ]] || { echo "extract-vmlinux: $bz is not a bzImage" >&2; exit 1; }
version=$(read_le $((0x206)) 2)
((version >= 0x208)) || { echo "extract-vmlinux: boot protocol too old ($version)" >&2; exit 1; }
setup_sects=$(read_le $((0x1f1)) 1)
((setup_sects == 0)) && setup_sects=4
payload_offset=$(read_le $((0x248)) 4)
payload_length=$(read_le $((0x24c)) 4)
start=$(((setup_sects + 1) * 512 + payload_offset))

# Pick the decompressor from the payload's magic bytes.
head_hex=$(od -An -tx1 -j "$start" -N 6 "$bz" | tr -d ' \n')
case $head_hex in
  fd377a585a00*) decomp=(xz -dc --single-stream) ;;
  1f8b*)         decomp=(gzip -dc) ;;
  28b52ffd*)     decomp=(zstd -dc) ;;
  02214c18*)     decomp=(lz4 -dc) ;;
  *) echo "extract-vmlinux: unknown payload compression (magic $head_hex)" >&2; exit 1 ;;
esac

tmp="$out.tmp.$$"
trap 'rm -f "$tmp" "$tmp.z"' EXIT
dd if="$bz" of="$tmp.z" iflag=skip_bytes,count_bytes skip="$start" count="$payload_length" status=none
# The payload is "vmlinux + relocation table"; trailing bytes after the ELF
# are harmless to an ELF loader.
"${decomp[@]}" <"$tmp.z" >"$tmp"

[[ $(od -An -tx1 -N 4 "$tmp" | tr -d ' \n') == 7f454c46 ]] ||
  { echo "extract-vmlinux: decompressed payload is not ELF" >&2; exit 1; }
# PVH entry is announced by a Xen ELF note of type 18 (XEN_ELFNOTE_PHYS32_ENTRY).
if command -v readelf >/dev/null; then
  notes=$(readelf -n "$tmp" 2>/dev/null || true)
  grep -Eq 'Xen[[:space:]]+0x[0-9a-f]+[[:space:]]+(Unknown note type: \(0x00000012\)|.*PHYS32_ENTRY)' <<<"$notes" ||
    { echo "extract-vmlinux: no PVH entry note in vmlinux" >&2; exit 1; }
fi
mv "$tmp" "$out"
