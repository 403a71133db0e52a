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

    python3 local/slim_provider.py --types <file> <provider module dir> <work dir> <service> ...

also keeps, in each of those services, only the resource types, data sources (and their list,
ephemeral and action counterparts) named in <file> (one type name per line, # comments): each
service package's generated registry, internal/service/<service>/service_package_gen.go, lists
one entry per type, and the provider builds the schema of every entry it lists in every process
it starts. A name that no kept service lists stops the build, naming it.
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


# An entry of a generated registry's lists: a composite literal at two tabs, its TypeName at three.
ENTRY_START = "\t\t{"
ENTRY_END = "\t\t},"
TYPE_NAME = re.compile(r'^\t\t\tTypeName:\s+"([a-z0-9_]+)",$')
IMPORT = re.compile(r'^\t(?:([A-Za-z0-9_]+) )?"([^"]+)"$')


def service_registry(service):
    return os.path.join("internal", "service", service, "service_package_gen.go")


def slim_registry(text, types):
    """A service's generated registry with only the entries whose TypeName is in `types`; returns
    the text and the type names it listed before."""
    kept, entry, listed = [], None, set()
    for line in text.splitlines():
        if entry is not None:
            entry.append(line)
            if line == ENTRY_END:
                names = [m.group(1) for m in map(TYPE_NAME.match, entry) if m]
                listed.update(names)
                if not names or names[0] in types:
                    kept.extend(entry)
                entry = None
        elif line == ENTRY_START:
            entry = [line]
        else:
            kept.append(line)
    if entry is not None:
        sys.exit("a registry entry has no end: the generated file's layout changed, slim_provider.py needs a look")
    return without_unused_imports(kept), listed


def without_unused_imports(lines):
    """Go refuses an import nothing uses: drop those the removed entries alone used."""
    start = lines.index("import (")
    end = lines.index(")", start)
    body = "\n".join(lines[:start] + lines[end:])
    kept = []
    for line in lines[start + 1 : end]:
        imported = IMPORT.match(line)
        if imported:
            name = imported.group(1) or imported.group(2).rsplit("/", 1)[-1]
            identifier = re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", name) and not re.fullmatch(r"v[0-9]+", name)
            if identifier and not re.search(rf"\b{name}\.", body):
                continue
        kept.append(line)
    return "\n".join(lines[: start + 1] + kept + lines[end:]) + "\n"


def read_types(path):
    with open(path) as f:
        return {line.split("#", 1)[0].strip() for line in f} - {""}


def replace(copy, relative, text):
    target = os.path.join(copy, relative)
    os.chmod(os.path.dirname(target), 0o755)
    os.remove(target)  # a hard link into the module cache: replace it, never write through it
    with open(target, "w") as f:
        f.write(text)


def main(module_dir, work_dir, services, types=None):
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
    if types is not None:
        listed = set()
        for service in services:
            with open(os.path.join(copy, service_registry(service))) as f:
                registry, names = slim_registry(f.read(), types)
            listed |= names
            replace(copy, service_registry(service), registry)
        unknown = sorted(types - listed)
        if unknown:
            sys.exit(f"no kept service lists these types: {', '.join(unknown)}; check the names, or add their service")
    print(copy)


if __name__ == "__main__":
    args = sys.argv[1:]
    types = None
    if args[:1] == ["--types"]:
        types, args = read_types(args[1]), args[2:]
    if len(args) < 3:
        sys.exit(__doc__)
    main(args[0], args[1], args[2:], types)
