"""PyTorch CPU reference for one soft actor-critic update, single-threaded.

The update mirrors the SAC implementation mbrl-lib ships (mbrl/third_party/pytorch_sac_pranz24,
sac.py and model.py): a Gaussian policy obs -> 256 -> 256 -> (mean, log_std) with ReLU,
log_std clamped to [-20, 2], actions tanh-squashed and scaled, log-probabilities corrected by
log(scale (1 - tanh^2) + 1e-6); twin Q-networks (obs, action) -> 256 -> 256 -> 1 with ReLU
and a target copy; xavier_uniform weights and zero biases; Adam with lr 3e-4 for critics,
actor and log alpha. One update, in pranz24's order:
  critics: y = r + gamma (1 - done) (min(Q1', Q2')(s', a') - alpha log pi(a'|s')), a' ~ pi(s'),
           loss mse(Q1, y) + mse(Q2, y), Adam step;
  actor:   a ~ pi(s) (rsample), loss mean(alpha log pi(a|s) - min(Q1, Q2)(s, a)), Adam step;
  alpha:   loss -mean(log_alpha (log pi + target_entropy)), Adam step;
  targets: Polyak averaging with tau 0.005.
Pendulum-v1 sizes: observation 3, action 1, batch 256 drawn from a precomputed random buffer
of 10,000 transitions (sampling cost included, as in the Swift figure).

Figures (median over --repeat repetitions after a warm-up; milliseconds):
  sac_update_ms   one update as above, 100 updates timed per repetition.

usage: python3 sac_torch.py [--repeat N] [--smoke]
prints one JSON object: {"torch", "threads", "sac_update_ms"}
"""
import argparse
import json
import math
import os
import statistics
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
# Importing it installs torch with pip when missing and sets one intra- and one inter-op thread.
from ensemble_torch import torch  # noqa: E402

F = torch.nn.functional


def mlp(sizes):
    layers = []
    for i, (a, b) in enumerate(zip(sizes[:-1], sizes[1:])):
        lin = torch.nn.Linear(a, b)
        torch.nn.init.xavier_uniform_(lin.weight, gain=1)
        torch.nn.init.constant_(lin.bias, 0)
        layers.append(lin)
        if i < len(sizes) - 2:
            layers.append(torch.nn.ReLU())
    return torch.nn.Sequential(*layers)


class Twin(torch.nn.Module):
    def __init__(self, obs, act, hidden):
        super().__init__()
        self.q1 = mlp([obs + act, hidden, hidden, 1])
        self.q2 = mlp([obs + act, hidden, hidden, 1])

    def forward(self, s, a):
        x = torch.cat([s, a], 1)
        return self.q1(x), self.q2(x)


class Policy(torch.nn.Module):
    def __init__(self, obs, act, hidden, scale, bias):
        super().__init__()
        self.body = mlp([obs, hidden, hidden, 2 * act])
        self.act = act
        self.scale = scale
        self.bias = bias

    def sample(self, s):
        out = self.body(s)
        mean, log_std = out[:, :self.act], out[:, self.act:].clamp(-20, 2)
        normal = torch.distributions.Normal(mean, log_std.exp())
        x = normal.rsample()
        y = torch.tanh(x)
        action = y * self.scale + self.bias
        log_prob = normal.log_prob(x) - torch.log(self.scale * (1 - y.pow(2)) + 1e-6)
        return action, log_prob.sum(1, keepdim=True)


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--repeat", type=int, default=3)
    p.add_argument("--smoke", action="store_true")
    args = p.parse_args()
    hidden, batch, calls = (16, 8, 2) if args.smoke else (256, 256, 100)
    obs, act, gamma, tau = 3, 1, 0.99, 0.005
    torch.manual_seed(0)
    critic, policy = Twin(obs, act, hidden), Policy(obs, act, hidden, 2.0, 0.0)
    target = Twin(obs, act, hidden)
    target.load_state_dict(critic.state_dict())
    log_alpha = torch.zeros(1, requires_grad=True)
    opt_c = torch.optim.Adam(critic.parameters(), lr=3e-4)
    opt_p = torch.optim.Adam(policy.parameters(), lr=3e-4)
    opt_a = torch.optim.Adam([log_alpha], lr=3e-4)
    n = 10000
    S, A, R = torch.randn(n, obs), torch.rand(n, act) * 4 - 2, torch.randn(n, 1)
    S2, D = torch.randn(n, obs), (torch.rand(n, 1) < 0.01).float()

    def update():
        i = torch.randint(0, n, (batch,))
        s, a, r, s2, d = S[i], A[i], R[i], S2[i], D[i]
        alpha = log_alpha.exp().detach()
        with torch.no_grad():
            a2, lp2 = policy.sample(s2)
            t1, t2 = target(s2, a2)
            y = r + (1 - d) * gamma * (torch.min(t1, t2) - alpha * lp2)
        q1, q2 = critic(s, a)
        loss_c = F.mse_loss(q1, y) + F.mse_loss(q2, y)
        opt_c.zero_grad()
        loss_c.backward()
        opt_c.step()
        pi, lp = policy.sample(s)
        p1, p2 = critic(s, pi)
        loss_p = (alpha * lp - torch.min(p1, p2)).mean()
        opt_p.zero_grad()
        loss_p.backward()
        opt_p.step()
        loss_a = -(log_alpha * (lp + (-act)).detach()).mean()
        opt_a.zero_grad()
        loss_a.backward()
        opt_a.step()
        with torch.no_grad():
            for t, c in zip(target.parameters(), critic.parameters()):
                t.mul_(1 - tau).add_(c, alpha=tau)

    for _ in range(2 if args.smoke else 20):
        update()
    times = []
    for _ in range(args.repeat):
        start = time.process_time()
        for _ in range(calls):
            update()
        times.append((time.process_time() - start) / calls * 1000)
    print(json.dumps({"torch": torch.__version__, "threads": torch.get_num_threads(),
                      "sac_update_ms": statistics.median(times)}))


if __name__ == "__main__":
    main()
