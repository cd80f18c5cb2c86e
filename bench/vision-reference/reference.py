"""The `reproduce vision --scale quick` recipe written independently in PyTorch, as a peer to check our numbers against.

Same network (CIFAR ResNet-20 for 28x28, option-B shortcuts), data split sizes, augmentation (2-pixel black-padded
random crops, horizontal flips), SGD + Nesterov with step decay at 1/2 and 3/4 of the epochs, label smoothing,
best-validation checkpoint, and the same measurements (accuracy, NLL, 15-bin ECE, temperature fitted on validation).
Usage: python3 reference.py DATA_DIR [epochs] [train_images] [seeds] > results.json   (needs torch; a GPU makes it quick)
"""
import gzip, json, math, sys, time
import torch
import torch.nn as nn
import torch.nn.functional as F

data_dir = sys.argv[1]
defaults = [5, 16000, 3]
epochs, train_images, seeds = [int(a) for a in sys.argv[2:5]] + defaults[len(sys.argv[2:5]):]
device = "cuda" if torch.cuda.is_available() else "cpu"
MEAN, STD, VALIDATION, BATCH = 0.2860, 0.3530, 5000, 128


def idx(name, offset):
    with gzip.open(f"{data_dir}/{name}", "rb") as f:
        return torch.frombuffer(bytearray(f.read()[offset:]), dtype=torch.uint8)


def load(prefix):
    images = idx(f"{prefix}-images-idx3-ubyte.gz", 16).view(-1, 1, 28, 28)
    return images, idx(f"{prefix}-labels-idx1-ubyte.gz", 8).long()


def normalise(pixels):
    return (pixels.float() / 255 - MEAN) / STD


def augment(images, generator):
    n = images.shape[0]
    padded = F.pad(images, (2, 2, 2, 2), value=-MEAN / STD)
    dy = torch.randint(0, 5, (n,), generator=generator, device=images.device)
    dx = torch.randint(0, 5, (n,), generator=generator, device=images.device)
    rows = (dy[:, None] + torch.arange(28, device=images.device)).view(n, 1, 28, 1).expand(n, 1, 28, 32)
    cols = (dx[:, None] + torch.arange(28, device=images.device)).view(n, 1, 1, 28).expand(n, 1, 28, 28)
    cropped = padded.gather(2, rows).gather(3, cols)
    flip = torch.rand(n, generator=generator, device=images.device) < 0.5
    return torch.where(flip.view(-1, 1, 1, 1), cropped.flip(3), cropped)


class Block(nn.Module):
    def __init__(self, cin, cout, stride):
        super().__init__()
        self.residual = nn.Sequential(nn.Conv2d(cin, cout, 3, stride, 1, bias=False), nn.BatchNorm2d(cout), nn.ReLU(),
                                      nn.Conv2d(cout, cout, 3, 1, 1, bias=False), nn.BatchNorm2d(cout))
        self.shortcut = nn.Identity() if stride == 1 and cin == cout else nn.Sequential(
            nn.Conv2d(cin, cout, 1, stride, bias=False), nn.BatchNorm2d(cout))

    def forward(self, x):
        return F.relu(self.residual(x) + self.shortcut(x))


def resnet20(classes=10):
    layers, cin = [nn.Conv2d(1, 16, 3, 1, 1, bias=False), nn.BatchNorm2d(16), nn.ReLU()], 16
    for width, stride in ((16, 1), (32, 2), (64, 2)):
        for b in range(3):
            layers.append(Block(cin, width, stride if b == 0 else 1))
            cin = width
    return nn.Sequential(*layers, nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Linear(64, classes))


@torch.no_grad()
def logits_of(model, images):
    model.eval()
    return torch.cat([model(normalise(images[i:i + 1000].to(device))) for i in range(0, len(images), 1000)]).double().cpu()


def ece(logits, labels, bins=15):
    confidence, prediction = logits.softmax(-1).max(-1)
    correct = (prediction == labels).double()
    total = 0.0
    for b in range(bins):
        inside = (confidence > b / bins) & (confidence <= (b + 1) / bins)
        if inside.any():
            total += inside.double().mean().item() * abs(correct[inside].mean().item() - confidence[inside].mean().item())
    return total


def fit_temperature(logits, labels):
    lo, hi = math.log(0.05), math.log(20.0)  # golden-section search on log T
    nll = lambda t: F.cross_entropy(logits / math.exp(t), labels).item()
    g = (math.sqrt(5) - 1) / 2
    for _ in range(100):
        a, b = hi - g * (hi - lo), lo + g * (hi - lo)
        if nll(a) < nll(b): hi = b
        else: lo = a
    return math.exp((lo + hi) / 2)


train_all, train_labels_all = load("train")
test_images, test_labels = load("t10k")
runs = []
for alpha in (0.0, 0.1):
    for seed in range(1, seeds + 1):
        torch.manual_seed(seed)
        order = torch.randperm(len(train_all), generator=torch.Generator().manual_seed(seed))
        val_idx, rest = order[:VALIDATION], order[VALIDATION:][:train_images]
        val_images, val_labels = train_all[val_idx], train_labels_all[val_idx]
        images, labels = train_all[rest].to(device), train_labels_all[rest].to(device)
        model = resnet20().to(device)
        optimizer = torch.optim.SGD(model.parameters(), 0.1, momentum=0.9, weight_decay=1e-4, nesterov=True)
        generator = torch.Generator(device=device).manual_seed(seed + 1)
        best, best_state, clock = -1.0, None, time.time()
        for epoch in range(epochs):
            decays = sum(1 for f in (0.5, 0.75) if epoch >= round(f * epochs) and f * epochs >= 1)
            for group in optimizer.param_groups: group["lr"] = 0.1 * 0.1 ** decays
            model.train()
            perm = torch.randperm(len(images), generator=generator, device=device)
            for start in range(0, len(images), BATCH):
                batch = perm[start:start + BATCH]
                loss = F.cross_entropy(model(augment(normalise(images[batch]), generator)), labels[batch], label_smoothing=alpha)
                optimizer.zero_grad()
                loss.backward()
                optimizer.step()
            accuracy = (logits_of(model, val_images).argmax(-1) == val_labels).double().mean().item()
            if accuracy > best:
                best, best_state = accuracy, {k: v.clone() for k, v in model.state_dict().items()}
        model.load_state_dict(best_state)
        test_logits, val_logits = logits_of(model, test_images), logits_of(model, val_images)
        t = fit_temperature(val_logits, val_labels)
        runs.append(dict(alpha=alpha, seed=seed, seconds=round(time.time() - clock, 1),
                         accuracy=(test_logits.argmax(-1) == test_labels).double().mean().item(),
                         nll=F.cross_entropy(test_logits, test_labels).item(), ece=ece(test_logits, test_labels),
                         temperature=t, ece_after_t=ece(test_logits / t, test_labels)))
        print(json.dumps(runs[-1]), file=sys.stderr)
print(json.dumps(dict(device=device, torch=torch.__version__, epochs=epochs, train_images=train_images, runs=runs), indent=1))
