"""scripts/bootstrap_check.sh refuses a bootstrap with Foundation in it (issue 13), and only then: two tiny
static, stripped Swift programs built like the bootstraps (`-static-stdlib`, `-Xlinker -s`), one that uses
FoundationEssentials and one that uses only the standard library and libc."""
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
CHECK = ROOT / "scripts" / "bootstrap_check.sh"


def build_swift(tmp_path, name, source):
    swiftc = shutil.which("swiftc")
    assert swiftc, "swiftc (the Swift toolchain) is needed"
    src = tmp_path / f"{name}.swift"
    src.write_text(source)
    out = tmp_path / name
    subprocess.run([swiftc, "-O", "-static-stdlib", "-Xlinker", "-s", "-o", str(out), str(src)],
                   check=True, capture_output=True, timeout=600)
    return out


@pytest.fixture(scope="module")
def programs(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("swift")
    with_foundation = build_swift(tmp, "with_foundation", """
        import FoundationEssentials
        struct Event: Codable { var name: String }
        let data = try! JSONEncoder().encode(Event(name: CommandLine.arguments[0]))
        print(data.count, Date().timeIntervalSince1970 > 0)
    """)
    without = build_swift(tmp, "without_foundation", """
        #if canImport(Glibc)
        import Glibc
        #endif
        var now = timespec()
        clock_gettime(CLOCK_REALTIME, &now)
        print(CommandLine.arguments[0].utf8.count, now.tv_sec > 0)
    """)
    return with_foundation, without


def test_check_refuses_a_stripped_static_binary_with_foundation(programs):
    with_foundation, _ = programs
    result = subprocess.run([str(CHECK), str(with_foundation)], capture_output=True, text=True, timeout=120)
    assert result.returncode == 1, result.stdout + result.stderr
    assert "contains Foundation" in result.stderr and "FoundationEssentials" in result.stderr


def test_check_finds_no_foundation_in_a_binary_of_the_standard_library_alone(programs):
    _, without = programs
    result = subprocess.run([str(CHECK), str(without)], capture_output=True, text=True, timeout=120)
    assert "ok: no Foundation module in the binary" in result.stdout, result.stdout + result.stderr
    assert "contains Foundation" not in result.stderr
