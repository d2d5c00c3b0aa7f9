"""PyTorch anchors for the CUDA engine's benchmark, on 2 Gi BF16 weights (4 GiB): device copy
bandwidth, eager int4:g64 RMSE pass, the eager 8-scheme seed sweep, and torch.compile of the
single scheme (if compile works offline). Prints one line per figure."""
import sys, time
import torch

n = int(sys.argv[1]) if len(sys.argv) > 1 else 2 << 30
w = (torch.randn(n, device="cuda", dtype=torch.float32) * 0.02).to(torch.bfloat16)
gib = n * 2 / 2**30

def timed(fn, repeats=5):
    fn(); torch.cuda.synchronize()
    times = []
    for _ in range(repeats):
        a = torch.cuda.Event(enable_timing=True); b = torch.cuda.Event(enable_timing=True)
        a.record(); fn(); b.record(); torch.cuda.synchronize()
        times.append(a.elapsed_time(b))
    times.sort()
    return times[len(times) // 2]

out = torch.empty_like(w)
ms = timed(lambda: out.copy_(w))
copy = 2 * n * 2 / ms * 1e-9
print(f"torch device copy: {ms:.3f} ms, {copy:.2f} TB/s read+write")
del out

def rmse(x, bits, group):
    x = x.float()
    qmax = 2 ** (bits - 1) - 1
    if group:
        g = x.view(-1, group)
        s = g.abs().amax(dim=1, keepdim=True) / qmax
        q = torch.clamp(torch.round(g / s), -qmax - 1, qmax) * s
        return ((q - g) ** 2).mean().sqrt()
    s = x.abs().max() / qmax
    q = torch.clamp(torch.round(x / s), -qmax - 1, qmax) * s
    return ((q - x) ** 2).mean().sqrt()

chunk = 1 << 28  # eager on 4 GiB needs chunks to fit the float32 temporaries
def eager_single():
    for i in range(0, n, chunk):
        rmse(w[i:i + chunk], 4, 64)
def eager_sweep():
    for bits in (8, 4, 3, 2):
        for group in (0, 64):
            rmse(w, bits, group) if group == 0 and False else None
            for i in range(0, n, chunk):
                rmse(w[i:i + chunk], bits, group)
ms1 = timed(eager_single, 3)
print(f"torch eager int4:g64: {ms1:.1f} ms, {n * 2 / ms1 * 1e-9 * 1e3:.1f} GB/s of weights")
ms8 = timed(eager_sweep, 1)
print(f"torch eager 8-scheme sweep: {ms8:.1f} ms, {n * 2 / ms8 * 1e-9 * 1e3:.2f} GB/s of weights")
try:
    compiled = torch.compile(lambda x: rmse(x, 4, 64))
    msc = timed(lambda: compiled(w), 5)
    print(f"torch.compile int4:g64: {msc:.2f} ms, {n * 2 / msc * 1e-9:.3f} TB/s of weights")
    compiled_t = torch.compile(lambda x: rmse(x, 4, 0))
    msct = timed(lambda: compiled_t(w), 3)
    print(f"torch.compile int4:tensor: {msct:.2f} ms")
    print(f"8 compiled single passes (4 x g64 + 4 x tensor, estimated from these two): {4 * msc + 4 * msct:.2f} ms, "
          f"{n * 2 / (4 * msc + 4 * msct) * 1e-9:.3f} TB/s of weights")
except Exception as e:  # compile may need a toolchain or network
    print(f"torch.compile failed: {type(e).__name__}: {str(e)[:200]}")
