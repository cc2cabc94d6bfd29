# Sourced by .ci/run: installs and starts the services the database and report tests use.
#   - PostgreSQL (Debian's package) on localhost:5432, database "fzcheck_test" owned by user "fzcheck";
#   - headless Chromium (Debian's package) for the HTML report test, and its ChromeDriver (chromium-driver) for the
#     browser test of `fzcheck serve` (tests/test_serve_browser.py, Selenium);
#   - a CJK font (Debian's fonts-wqy-zenhei, ~7 MB; fonts-noto-cjk is ~56 MB) so Chromium draws Han characters,
#     not boxes: tests/test_report.py::test_html_report_draws_han_characters_not_tofu fails without one.
# Exports nothing: .ci/run sets FZCHECK_TEST_PG_URL=postgresql://fzcheck:fzcheck@localhost:5432/fzcheck_test.
# Safe to source twice (already installed / running / created is fine).

fzcheck_services() {
  local sudo=""
  if [ "$(id -u)" != 0 ]; then sudo="sudo"; fi
  if ! command -v pg_ctlcluster >/dev/null 2>&1 || ! command -v chromium >/dev/null 2>&1 \
      || ! command -v chromedriver >/dev/null 2>&1 \
      || ! fc-list :lang=zh 2>/dev/null | grep -q .; then
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends \
      postgresql chromium chromium-driver fonts-wqy-zenhei >/dev/null
  fi
  local version
  version="$(ls /usr/lib/postgresql | sort -n | tail -1)"
  if ! $sudo pg_lsclusters -h 2>/dev/null | grep -q .; then
    $sudo pg_createcluster "$version" main >/dev/null
  fi
  $sudo pg_ctlcluster "$version" main start 2>/dev/null || true
  for _ in $(seq 1 30); do
    $sudo runuser -u postgres -- pg_isready -q -h localhost && break
    sleep 1
  done
  $sudo runuser -u postgres -- psql -q -tc "SELECT 1 FROM pg_roles WHERE rolname='fzcheck'" | grep -q 1 \
    || $sudo runuser -u postgres -- psql -q -c "CREATE ROLE fzcheck LOGIN PASSWORD 'fzcheck' CREATEDB"
  $sudo runuser -u postgres -- psql -q -tc "SELECT 1 FROM pg_database WHERE datname='fzcheck_test'" | grep -q 1 \
    || $sudo runuser -u postgres -- createdb -O fzcheck fzcheck_test
}

fzcheck_services
