"""Prepares a build of the AWS provider that registers only some of its service packages.

    python3 local/slim_provider.py <provider module dir> <work dir> <service> [<service> ...]

The provider lists every service package it serves in one generated file,
internal/provider/sdkv2/service_packages_gen.go (imports plus one ServicePackage(ctx) call each),
and has one accessor per AWS SDK client in another, internal/conns/awsclient_gen.go, which imports
every SDK service client. Go refuses to overlay files of the module cache, so the module is copied
to <work dir> as hard links (no space, no time) and those two files are replaced: the first lists
only the named services, the second keeps only the accessors that the built code calls. `go build`
there compiles and links only those packages, and resource types of other services are unknown to
the build. Prints the directory to build in.
"""

import os
import re
import shutil
import subprocess
import sys

GENERATED = os.path.join("internal", "provider", "sdkv2", "service_packages_gen.go")
CLIENTS = os.path.join("internal", "conns", "awsclient_gen.go")
ACCESSOR_CALL = re.compile(r"\.([A-Za-z0-9]+Client)\(ctx\)")
ACCESSOR = re.compile(r"^func \(c \*AWSClient\) ([A-Za-z0-9]+Client)\(")
SDK_IMPORT = re.compile(r'^\s*(?:([a-z0-9_]+) )?"github.com/aws/aws-sdk-go-v2/service/([a-z0-9]+)"')
PACKAGE = re.compile(r'"github.com/hashicorp/terraform-provider-aws/internal/service/([a-z0-9]+)"')
CALL = re.compile(r"\s*([a-z0-9]+)\.ServicePackage\(ctx\),")


def slim(text, services):
    available = set(PACKAGE.findall(text))
    missing = sorted(set(services) - available)
    if missing:
        sys.exit(f"not service packages of this provider: {', '.join(missing)}")
    kept = []
    for line in text.splitlines():
        match = PACKAGE.search(line) or CALL.match(line)
        if match is None or match.group(1) in services:
            kept.append(line)
    return "\n".join(kept) + "\n"


def called_accessors(copy):
    """The AWSClient accessors called by the provider's own packages that the slim build compiles
    (`go list -deps` of the main package, tests excluded)."""
    listed = subprocess.run(["go", "list", "-deps", "-f", "{{.Dir}}", "."], cwd=copy, check=True, capture_output=True, text=True).stdout
    internal = os.path.join(copy, "internal") + os.sep
    called = set()
    for folder in (d for d in listed.splitlines() if d.startswith(internal)):
        for name in os.listdir(folder):
            path = os.path.join(folder, name)
            if name.endswith(".go") and not name.endswith("_test.go") and not path.endswith(CLIENTS):
                with open(path) as f:
                    called.update(ACCESSOR_CALL.findall(f.read()))
    return called


def slim_clients(text, called):
    """awsclient_gen.go with only the called accessors and the SDK imports they use."""
    kept, block = [], None
    for line in text.splitlines():
        if block is not None:
            block.append(line)
            if line == "}":
                if block[0][1] in called:
                    kept.extend(block[1:])
                block = None
            continue
        accessor = ACCESSOR.match(line)
        if accessor:
            block = [(None, accessor.group(1)), line]
        else:
            kept.append(line)
    body = "\n".join(kept)
    lines = []
    for line in kept:
        sdk = SDK_IMPORT.match(line)
        if sdk and not re.search(rf"\b{sdk.group(1) or sdk.group(2)}\.", body):
            continue
        lines.append(line)
    return "\n".join(lines) + "\n"


def replace(copy, relative, text):
    target = os.path.join(copy, relative)
    os.chmod(os.path.dirname(target), 0o755)
    os.remove(target)  # a hard link into the module cache: replace it, never write through it
    with open(target, "w") as f:
        f.write(text)


def main(module_dir, work_dir, services):
    with open(os.path.join(module_dir, GENERATED)) as f:
        text = slim(f.read(), set(services))

    copy = os.path.join(work_dir, "src")
    if os.path.isdir(copy):
        for root, dirs, _ in os.walk(copy):
            for d in dirs:
                os.chmod(os.path.join(root, d), 0o755)
        shutil.rmtree(copy)
    os.makedirs(work_dir, exist_ok=True)
    shutil.copytree(module_dir, copy, copy_function=os.link)
    replace(copy, GENERATED, text)
    with open(os.path.join(copy, CLIENTS)) as f:
        clients = slim_clients(f.read(), called_accessors(copy))
    replace(copy, CLIENTS, clients)
    print(copy)


if __name__ == "__main__":
    if len(sys.argv) < 4:
        sys.exit(__doc__)
    main(sys.argv[1], sys.argv[2], sys.argv[3:])
