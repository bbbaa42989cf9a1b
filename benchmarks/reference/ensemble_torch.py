"""PyTorch CPU reference for the probabilistic-ensemble (PETS) workload, single-threaded.

The model mirrors mbrl-lib's GaussianMLP (mbrl/models/gaussian_mlp.py): 7 members, input 5
(cartpole observation 4 + action 1), 4 hidden layers of 200 with SiLU, an output layer of
2*4 (mean and log-variance of the state delta). Every layer is ensemble-batched like
mbrl-lib's EnsembleLinearLayer: weights [members, in, out], bias [members, 1, out], computed as
one torch.baddbmm (mbrl-lib writes x.matmul(w) + b: the same arithmetic). Log-variance gets
mbrl-lib's soft bounds (max_logvar 0.5, min_logvar -10, fixed as with learn_logvar_bounds=False):
    logvar = max - softplus(max - logvar);  logvar = min + softplus(logvar - min)
Weights use mbrl-lib's truncated_normal_init (std 1/(2 sqrt(in)), cut at 2 std), biases 0.
Not mirrored: input normalisation and bootstrapped batch sampling (precomputed batches).

Figures (each is the median over --repeat repetitions, after a warm-up; milliseconds):
  train_step_ms   one training step: forward of 256 rows per member ([7, 256, 5]), the Gaussian
                  NLL of mbrl-lib's _nll_loss (((mean-y)^2 exp(-logvar) + logvar), mean over
                  batch and dims, summed over members, + 0.01 (sum max_logvar - sum min_logvar)),
                  backward, Adam step (lr 1e-3, weight_decay 5e-5). 50 steps timed per repetition.
  forward_all_ms  torch.no_grad() forward of 8,000 rows through every member: input [7, 8000, 5].
  forward_ts1_ms  the 8,000 rows split across the members as TS1 propagation does: input
                  [7, 1143, 5] (8000/7 rounded up; mbrl-lib needs equal groups, so one pad row).
  pets_step_ms    one PETS planning step with iCEM on cartpole through the ensemble: population
                  200 action sequences x 20 particles (4,000 rows), horizon 10, 5 iterations,
                  actions in [-1, 1] (1-dim), colored noise (exponent 2) as mbrl-lib's
                  ICEMOptimizer, 20 elites, mean/var refit with smoothing alpha 0.1. At each
                  horizon step one forward of all rows, each particle sent to a random member
                  (a fresh permutation, rows padded to 7 x 572 as mbrl-lib's random_model
                  propagation does), next state = state + mean + exp(logvar/2) * noise, reward 1
                  while not terminated (|x| > 2.4 or |theta| > 12 degrees; 0 from termination on,
                  as mbrl-lib's ModelEnv), summed over the horizon, averaged over the particles
                  of a sequence. Simplification: the population stays 200 at every iteration (no
                  population decay, no elite carry-over), so every iteration is 4,000 rows.
                  The solution is warm-started by shifting, as mbrl-lib's TrajectoryOptimizer.

Stock PyTorch, stock glibc malloc: a [7, 8000, 200] activation (45 MB) is above glibc's largest
mmap threshold (32 MB), so forward_all gets fresh pages (page faults) on every call; on a 2-core
AMD EPYC that was ~40% of it. THP_MEM_ALLOC_ENABLE=1 in the environment cuts most of that.

usage: python3 ensemble_torch.py [--repeat N] [--smoke]
prints one JSON object: {"torch", "threads", "train_step_ms", "forward_all_ms",
                         "forward_ts1_ms", "pets_step_ms"}
If torch is missing it is installed with pip (progress on stderr; stdout is only the JSON).
"""
import argparse
import glob
import json
import math
import os
import statistics
import subprocess
import sys
import time


def ensure_torch():
    try:
        import torch  # noqa: F401
    except ImportError:
        # Plain `torch` from PyPI on linux x86_64 is the CUDA build (~3 GB with its nvidia-*
        # packages); a CPU-only wheel in a PIP_FIND_LINKS folder (this workplace's /opt/wheels)
        # is used when there is one. The default index stays the only index.
        tag = "cp%d%d" % sys.version_info[:2]
        local = []
        for d in os.environ.get("PIP_FIND_LINKS", "").split():
            local += sorted(glob.glob(os.path.join(d, "torch-*+cpu-%s-*.whl" % tag)))
        cmd = [sys.executable, "-m", "pip", "install", "--quiet", local[-1] if local else "torch"]
        print("installing torch:", " ".join(cmd), file=sys.stderr)
        subprocess.check_call(cmd, stdout=sys.stderr)
    import torch
    return torch


torch = ensure_torch()
torch.set_num_threads(1)
torch.set_num_interop_threads(1)
F = torch.nn.functional

FULL = dict(members=7, din=5, dout=4, hidden=200, layers=4, batch=256, train_calls=50,
            rows=8000, all_calls=10, ts1_calls=50, pop=200, particles=20, horizon=10,
            iters=5, elites=20, pets_calls=2, warmup=2)
SMOKE = dict(FULL, hidden=16, batch=8, train_calls=2, rows=70, all_calls=2, ts1_calls=2,
             pop=10, particles=2, horizon=3, iters=2, elites=3, pets_calls=1, warmup=1)


class GaussianEnsemble(torch.nn.Module):
    def __init__(self, members, din, dout, hidden, layers):
        super().__init__()
        sizes = [din] + [hidden] * layers + [2 * dout]
        self.dout = dout
        self.weights = torch.nn.ParameterList()
        self.biases = torch.nn.ParameterList()
        for a, b in zip(sizes[:-1], sizes[1:]):
            w = torch.empty(members, a, b)
            std = 1 / (2 * math.sqrt(a))
            torch.nn.init.trunc_normal_(w, std=std, a=-2 * std, b=2 * std)
            self.weights.append(torch.nn.Parameter(w))
            self.biases.append(torch.nn.Parameter(torch.zeros(members, 1, b)))
        self.max_logvar = torch.nn.Parameter(0.5 * torch.ones(1, dout), requires_grad=False)
        self.min_logvar = torch.nn.Parameter(-10 * torch.ones(1, dout), requires_grad=False)

    def forward(self, x):  # x [members, rows, din] -> mean, logvar [members, rows, dout]
        last = len(self.weights) - 1
        for i, (w, b) in enumerate(zip(self.weights, self.biases)):
            x = torch.baddbmm(b, x, w)
            if i < last:
                x = F.silu(x)
        mean, logvar = x[..., : self.dout], x[..., self.dout :]
        logvar = self.max_logvar - F.softplus(self.max_logvar - logvar)
        logvar = self.min_logvar + F.softplus(logvar - self.min_logvar)
        return mean, logvar

    def nll_loss(self, x, y):
        mean, logvar = self(x)
        nll = ((mean - y) ** 2 * torch.exp(-logvar) + logvar).mean((1, 2)).sum()
        return nll + 0.01 * (self.max_logvar.sum() - self.min_logvar.sum())


def colored_noise(beta, shape, n):
    """Gaussian noise with power spectrum 1/f^beta along the last axis of length n
    (colorednoise.powerlaw_psd_gaussian, which mbrl-lib's ICEMOptimizer calls)."""
    f = torch.fft.rfftfreq(n)
    f[0] = 1.0 / n
    scale = f ** (-beta / 2.0)
    w = scale[1:].clone()
    w[-1] *= (1 + n % 2) / 2.0
    sigma = 2 * torch.sqrt((w**2).sum()) / n
    sr = torch.randn(*shape, len(f)) * scale
    si = torch.randn(*shape, len(f)) * scale
    if n % 2 == 0:
        si[..., -1] = 0
        sr[..., -1] *= math.sqrt(2)
    si[..., 0] = 0
    sr[..., 0] *= math.sqrt(2)
    return torch.fft.irfft(torch.complex(sr, si), n=n) / sigma


def cartpole_done(s):
    return (s[:, 0].abs() > 2.4) | (s[:, 2].abs() > 12 * 2 * math.pi / 360)


class PETS:
    def __init__(self, model, c):
        self.model, self.c = model, c
        self.solution = torch.zeros(c["horizon"], 1)

    @torch.no_grad()
    def returns(self, obs, plans):  # plans [pop, H, 1] -> mean return per sequence [pop]
        c, members = self.c, self.c["members"]
        rows = plans.shape[0] * c["particles"]
        per = -(-rows // members)
        acts = plans.repeat_interleave(c["particles"], dim=0)
        state = obs.expand(rows, -1).clone()
        alive = torch.ones(rows, dtype=torch.bool)
        total = torch.zeros(rows)
        for t in range(c["horizon"]):
            x = torch.cat([state, acts[:, t]], dim=1)
            x = torch.cat([x, x[: members * per - rows]])  # pad to equal groups
            perm = torch.randperm(members * per)  # TS1: a random member for every particle
            mean, logvar = self.model(x[perm].view(members, per, -1))
            out = torch.cat([mean, logvar], -1).view(members * per, -1)[torch.argsort(perm)][:rows]
            mean, logvar = out[:, : c["dout"]], out[:, c["dout"] :]
            state = state + mean + torch.exp(0.5 * logvar) * torch.randn_like(mean)
            alive &= ~cartpole_done(state)
            total += alive.float()
        return total.view(-1, c["particles"]).mean(1)

    def plan(self, obs):
        c = self.c
        mu, var = self.solution.clone(), torch.full((c["horizon"], 1), (1 - -1) ** 2 / 16)
        best, best_value = mu, -math.inf
        for _ in range(c["iters"]):
            noise = colored_noise(2.0, (c["pop"], 1), c["horizon"]).transpose(1, 2)
            plans = (noise * var.sqrt() + mu).clamp(-1.0, 1.0)
            values = self.returns(obs, plans)
            top, idx = values.topk(c["elites"])
            elite = plans[idx]
            mu = 0.1 * mu + 0.9 * elite.mean(0)
            var = 0.1 * var + 0.9 * elite.var(0, unbiased=False)
            if top[0] > best_value:
                best, best_value = plans[idx[0]], top[0].item()
        self.solution = torch.cat([best[1:], torch.zeros(1, 1)])  # warm start: shift
        return best[0]


def median_ms(fn, calls, repeat, warmup):
    for _ in range(warmup):
        fn()
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        for _ in range(calls):
            fn()
        times.append((time.perf_counter() - t0) * 1000.0 / calls)
    return statistics.median(times)


def main():
    ap = argparse.ArgumentParser(description="PyTorch CPU reference: GaussianMLP ensemble + PETS")
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--smoke", action="store_true", help="tiny sizes, one repetition")
    args = ap.parse_args()
    c = SMOKE if args.smoke else FULL
    repeat = 1 if args.smoke else args.repeat
    torch.manual_seed(0)
    m, din, dout = c["members"], c["din"], c["dout"]
    model = GaussianEnsemble(m, din, dout, c["hidden"], c["layers"])
    opt = torch.optim.Adam(model.parameters(), lr=1e-3, weight_decay=5e-5)

    batches = [(torch.randn(m, c["batch"], din), 0.1 * torch.randn(m, c["batch"], dout))
               for _ in range(c["train_calls"])]
    step = [0]

    def train_step():
        x, y = batches[step[0] % len(batches)]
        step[0] += 1
        opt.zero_grad()
        model.nll_loss(x, y).backward()
        opt.step()

    x_all = torch.randn(m, c["rows"], din)
    x_ts1 = torch.randn(m, -(-c["rows"] // m), din)

    def forward(x):
        with torch.no_grad():
            model(x)

    pets = PETS(model, c)
    obs = torch.tensor([[0.01, -0.02, 0.03, 0.01]])
    result = {
        "torch": torch.__version__,
        "threads": torch.get_num_threads(),
        "train_step_ms": median_ms(train_step, c["train_calls"], repeat, c["warmup"]),
        "forward_all_ms": median_ms(lambda: forward(x_all), c["all_calls"], repeat, c["warmup"]),
        "forward_ts1_ms": median_ms(lambda: forward(x_ts1), c["ts1_calls"], repeat, c["warmup"]),
        "pets_step_ms": median_ms(lambda: pets.plan(obs), c["pets_calls"], repeat, c["warmup"]),
    }
    print(json.dumps({k: round(v, 3) if isinstance(v, float) else v for k, v in result.items()}))


if __name__ == "__main__":
    main()
