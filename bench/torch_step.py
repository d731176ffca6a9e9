# The two training steps of bench/speed.bench.mjs in PyTorch on one thread, for
# the native comparison. Prints one JSON line: steps per second of each net.
# Run by the benchmark only where python3 can import torch (not a dependency).
import json, time
import torch

torch.set_num_threads(1)
torch.manual_seed(1)

def steps_per_second(sizes, B, act, loss_name, seconds=3.0):
    layers = []
    for l in range(len(sizes) - 1):
        layers.append(torch.nn.Linear(sizes[l], sizes[l + 1]))
        if l + 2 < len(sizes):
            layers.append(torch.nn.ReLU() if act == 'relu' else torch.nn.Tanh())
    net = torch.nn.Sequential(*layers)
    opt = torch.optim.SGD(net.parameters(), lr=0.01)
    x = torch.rand(B, sizes[0])
    C = sizes[-1]
    if loss_name == 'cross_entropy':
        y = torch.arange(B) % C
        loss_fn = lambda out: torch.nn.functional.cross_entropy(out, y)
    else:
        y = (torch.arange(B) % 2 * 2 - 1).float().unsqueeze(1)
        loss_fn = lambda out: torch.relu(1 - y * out).sum()
    def step():
        opt.zero_grad()
        loss = loss_fn(net(x))
        loss.backward()
        opt.step()
    for _ in range(20):
        step()
    n, t0 = 0, time.perf_counter()
    while time.perf_counter() - t0 < seconds:
        step()
        n += 1
    return n / (time.perf_counter() - t0)

print(json.dumps({
    'torch': torch.__version__,
    '784-256-256-10': steps_per_second([784, 256, 256, 10], 128, 'relu', 'cross_entropy'),
    '2-16-16-1': steps_per_second([2, 16, 16, 1], 32, 'tanh', 'hinge'),
}))
