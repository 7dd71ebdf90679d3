"""scripts/bootstrap_check.sh refuses a bootstrap that links libcrypto (issue 13: SigV4 opens it at run
time, so a NEEDED libcrypto would put its loading back before `main` on every cold start), and accepts the
same program without it. Two tiny C programs; the one that links libcrypto names it by its runtime file
(`-l:libcrypto.so.3`), so no OpenSSL headers or -dev package are needed."""
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
CHECK = ROOT / "scripts" / "bootstrap_check.sh"

SOURCE = """
void *EVP_MD_CTX_new(void);
int main(int argc, char **argv) { (void)argv; return USE_CRYPTO ? EVP_MD_CTX_new() == 0 : argc > 9; }
"""


def build_c(tmp_path, name, link_crypto):
    cc = shutil.which("cc") or shutil.which("gcc")
    assert cc, "a C compiler is needed"
    src = tmp_path / f"{name}.c"
    src.write_text(SOURCE)
    out = tmp_path / name
    command = [cc, "-O", f"-DUSE_CRYPTO={1 if link_crypto else 0}", "-o", str(out), str(src)]
    if link_crypto:
        command.append("-l:libcrypto.so.3")
    subprocess.run(command, check=True, capture_output=True, timeout=120)
    return out


@pytest.fixture(scope="module")
def programs(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("c")
    return build_c(tmp, "with_crypto", True), build_c(tmp, "without_crypto", False)


def needed(binary):
    dynamic = subprocess.run(["readelf", "-d", "-W", str(binary)], capture_output=True, text=True, check=True).stdout
    return [line.split("[", 1)[1].rstrip("]") for line in dynamic.splitlines() if "(NEEDED)" in line]


def test_check_refuses_a_binary_that_links_libcrypto(programs):
    with_crypto, _ = programs
    assert "libcrypto.so.3" in needed(with_crypto)
    result = subprocess.run([str(CHECK), str(with_crypto)], capture_output=True, text=True, timeout=120)
    assert result.returncode == 1, result.stdout + result.stderr
    assert "NEEDED libcrypto.so.3 is not on the allow-list" in result.stderr
    assert "SigV4 opens libcrypto at run time" in result.stderr


def test_check_accepts_the_same_program_without_libcrypto(programs):
    _, without = programs
    assert "libcrypto.so.3" not in needed(without)
    result = subprocess.run([str(CHECK), str(without)], capture_output=True, text=True, timeout=120)
    assert "libcrypto" not in result.stderr, result.stderr
    assert result.returncode == 0, result.stdout + result.stderr
