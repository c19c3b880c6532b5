"""Boxes on scanned pages that may not hide what they cover: a grey marker, a translucent box, a
scribble. A scan has no text layer to audit (x-ray's stated blind spot), so the pixels are judged: a box
whose pixels are uniform (solid black, maybe with a white code printed in it) hides its text; one whose
pixels vary is read again with its contrast stretched, and whatever OCR makes of it is kept as
"possibly readable", with the stretched crop for a person to look at.
"""

from __future__ import annotations

from PIL import Image, ImageOps, ImageStat

from importers.pdf_boxes import Box
from importers.pdf_ocr import Reader, mean_confidence, png_bytes, read_page
from importers.pdf_redactions import leak_text

_SOLID = 40  # a box whose middle grey is darker than this is solid ink: nothing shows through it
_UNIFORM_SPREAD = 12  # standard deviation (0-255) of the pixels of a box that hides evenly
_MIN_CONFIDENCE = 50  # mean Tesseract confidence a re-read needs before it counts as readable
_PAD = 24


def _stretched(crop: Image.Image) -> Image.Image:
    """The crop with its own grey (the box) made white and what is darker than it made black."""
    return ImageOps.autocontrast(crop, cutoff=(1, 45))


def read_through(image: Image.Image, boxes: list[Box], number: int, reader: Reader) -> None:
    """Set `readable` and `crop` on the boxes of a scanned page whose pixels show something under them."""
    scale = reader.scale
    for box in boxes:
        area = (int(box.x0 * scale), int(box.top * scale), int(box.x1 * scale), int(box.bottom * scale))
        crop = image.crop(area).convert("L")
        if crop.width < 4 or crop.height < 4:
            continue
        stat = ImageStat.Stat(crop)
        median = stat.median[0]
        if median < _SOLID or stat.stddev[0] < _UNIFORM_SPREAD:
            continue
        stretched = _stretched(crop)
        sheet = Image.new("L", (stretched.width + 2 * _PAD, stretched.height + 2 * _PAD), 255)
        sheet.paste(stretched, (_PAD, _PAD))
        lines = read_page(sheet, number, [], reader)
        confidence = mean_confidence(lines)
        if confidence is None or confidence < _MIN_CONFIDENCE:
            continue
        text = leak_text([" ".join(line.text for line in lines)])
        if text:
            box.readable, box.crop = text, png_bytes(stretched)
