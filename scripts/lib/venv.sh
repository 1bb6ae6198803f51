# Sourced by scripts/demo and scripts/test: the virtualenv sheetsync is installed into and run from.
#
# Debian 12 and Ubuntu 24.04 mark their python3 "externally managed" (PEP 668): pip refuses to install
# into it. So the scripts use the virtualenv python3 already runs in (an activated venv, tox,
# pyenv-virtualenv) and otherwise the project's own .venv, made on first use by python3. Pip's global
# and user configuration (/etc/pip.conf, /etc/xdg/pip, ~/.config/pip) applies inside a venv too.
# Every failure says in one line what to do.

PROJECT_VENV="$PWD/.venv"  # the callers cd to the repository first

die() { echo "$(basename -- "$0"): $*" >&2; exit 1; }

# Succeeds when python3 on PATH runs inside a virtual environment.
in_virtualenv() {
    python3 -c 'import sys; sys.exit(sys.prefix == sys.base_prefix)' 2>/dev/null
}

# Succeeds when .venv exists and its pip runs (a python3 without ensurepip leaves a .venv without pip).
project_venv_ready() {
    "$PROJECT_VENV/bin/python" -c 'import pip' 2>/dev/null
}

# Debian's package with python3's venv module and ensurepip: python3.11-venv on Debian 12, python3.12-venv
# on Ubuntu 24.04.
venv_package() {
    python3 -c 'import sys; print("python%d.%d-venv" % sys.version_info[:2])'
}

# Prints venv_package when .venv is still to be made and python3 cannot make it; nothing otherwise.
# Use it as `package=$(missing_venv_package)` under `set -e`, so that its failures stop the caller.
missing_venv_package() {
    command -v python3 >/dev/null || die "python3 is not installed; install Python 3.11 or newer and re-run."
    python3 -c 'import sys; sys.exit(sys.version_info < (3, 11))' ||
        die "sheetsync needs Python 3.11 or newer; python3 is $(python3 -V 2>&1). Put a newer python3 first on PATH."
    if in_virtualenv || project_venv_ready || python3 -c 'import ensurepip, venv' 2>/dev/null; then
        return 0
    fi
    command -v dpkg >/dev/null ||
        die "$(command -v python3) cannot create a virtualenv (no ensurepip); install its venv module or activate a virtualenv, then re-run."
    venv_package
}

# apt-get install PACKAGE..., as root or through sudo.
apt_install() {
    local sudo=""
    if [ "$(id -u)" != 0 ]; then
        command -v sudo >/dev/null || die "installing $* needs root; run \`apt-get install $*\` as root, then re-run."
        sudo="sudo"
    fi
    echo "Installing with apt-get: $*" >&2
    $sudo apt-get update -q
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -q "$@"
}

# Sets VENV and PYTHON to the virtualenv sheetsync goes into and exports VIRTUAL_ENV and PATH as
# `activate` would. When python3 is in no virtualenv that is .venv, made (again, if its pip does not
# run) here. VENV_WAS_ACTIVE says whether the caller's python3 already ran in it.
use_virtualenv() {
    if in_virtualenv; then
        VENV=$(python3 -c 'import sys; print(sys.prefix)')
        VENV_WAS_ACTIVE=yes
    else
        VENV=$PROJECT_VENV
        VENV_WAS_ACTIVE=no
        if ! project_venv_ready; then
            echo "Creating $VENV with $(command -v python3) ($(python3 -V 2>&1))" >&2
            python3 -m venv --clear "$VENV" ||
                die "could not create $VENV; install Debian's $(venv_package) (or python3's venv module) and re-run."
        fi
    fi
    PYTHON=$VENV/bin/python
    export VIRTUAL_ENV=$VENV PATH="$VENV/bin:$PATH"
    unset PYTHONHOME
}
