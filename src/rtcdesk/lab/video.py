"""A generated camera clip (Y4M) with enough detail that bandwidth limits bite.

Chromium's built-in fake camera draws a flat, easily compressed picture, so a capped
link rarely forces the encoder to adapt. This clip pans a blocky texture and moves a
bright square, which needs several hundred kbit/s at 640x360.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

WIDTH, HEIGHT, FPS, FRAMES = 640, 360, 30, 60


def write_camera_clip(path: Path, *, seed: int = 7) -> Path:
    """Write the looping test clip to ``path`` (about 20 MB, I420 Y4M) and return it."""
    rng = np.random.default_rng(seed)
    block = 8
    coarse = rng.integers(40, 216, size=(HEIGHT // block, WIDTH // block), dtype=np.uint8)
    texture = np.repeat(np.repeat(coarse, block, axis=0), block, axis=1)
    grain = rng.integers(-12, 13, size=(HEIGHT, WIDTH), dtype=np.int16)
    base = np.clip(texture.astype(np.int16) + grain, 0, 255).astype(np.uint8)
    cu = np.full((HEIGHT // 2, WIDTH // 2), 110, dtype=np.uint8)
    chroma = np.repeat(np.repeat(coarse[::2, ::2], block, 0), block, 1)
    cv = (chroma[: HEIGHT // 2, : WIDTH // 2] // 2 + 64).astype(np.uint8)
    header = f"YUV4MPEG2 W{WIDTH} H{HEIGHT} F{FPS}:1 Ip A1:1 C420jpeg\n".encode()
    with path.open("wb") as out:
        out.write(header)
        for i in range(FRAMES):
            y = np.roll(base, i * WIDTH // FRAMES, axis=1)
            x0 = (i * 9) % (WIDTH - 80)
            y0 = 40 + (i * 5) % (HEIGHT - 120)
            y[y0 : y0 + 80, x0 : x0 + 80] = 235
            out.write(b"FRAME\n")
            out.write(np.ascontiguousarray(y).tobytes())
            out.write(np.roll(cu, i, axis=1).tobytes())
            out.write(np.roll(cv, i * WIDTH // FRAMES // 2, axis=1).tobytes())
    return path
