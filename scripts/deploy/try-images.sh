#!/usr/bin/env bash
# Runs the images that build-images.sh made, with production settings, against the repository's
# stand-ins, until /readyz answers 200; then stops everything and cleans up. For a machine where
# `podman run` cannot start containers: the image's own file system runs in a chroot.
#
#   scripts/deploy/try-images.sh [--target onprem|cloud|all] [--tag TAG] [--image IMAGE]
#                                [--timeout SECONDS] [--keep]
#
#   --target    all (default): both images at once, as the hybrid system (the on-prem copy decides
#               the burst window, the cloud copy follows it through the relay and the link
#               service; one copies secret); onprem or cloud: that image alone (no other copy)
#   --tag       image tag (default: the tag build-images.sh would give: the git commit, -dirty)
#   --image     the image to run (one --target only); default timesheet-<target>:<tag>
#   --timeout   how long each wait may take, in seconds (default 180)
#   --keep      keep the run folder (logs, the throwaway configuration) instead of deleting it
#
# How: `podman create` + `podman mount` give the image's file system (writable, like a container's);
# in a private mount namespace (unshare -m: every mount goes away with the process) it gets /proc,
# a minimal /dev, a tmpfs /tmp, /etc/hosts, the image's two volumes (config/env read-only with the
# production.json written here, data/ empty), and the image's CMD runs there under chroot as the
# image's USER (uid 1000, setpriv --clear-groups --no-new-privs) with the image's ENV plus
# TIMESHEET_ENV=production. It shares this machine's network namespace, so the app listens on
# 127.0.0.1 on a free port (TIMESHEET_APP__HOST/PORT override the image's 0.0.0.0:3000), and so do
# the stand-ins, started from the repository (npm run erp / sts / relay / link-service, Azurite).
# First each image is started without configuration: it must refuse (exit 78, EX_CONFIG).
# Every secret and key of the run is generated here, THROWAWAY, and deleted with the run folder:
# session and copies secrets, metrics token, the SP signing pair (openssl), the relay's Send and
# Listen keys, the Azurite account and key. Needs root, podman, openssl, curl, and `npm ci` done.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
TARGETS="onprem cloud"
TAG=""
IMAGE=""
TIMEOUT=180
KEEP=0

usage() { awk 'NR > 1 && /^#/ { sub(/^# ?/, ""); print; next } NR > 1 { exit }' "$0"; }
say() { echo "try-images: $*"; }
die() { echo "try-images: $*" >&2; exit "${2:-1}"; }

while [ $# -gt 0 ]; do
  case "$1" in
    --target)
      case "${2:-}" in
        onprem | cloud) TARGETS="$2" ;;
        all) TARGETS="onprem cloud" ;;
        *) die "--target takes onprem, cloud or all" 2 ;;
      esac
      shift ;;
    --tag) TAG="${2:?--tag needs a value}"; shift ;;
    --image) IMAGE="${2:?--image needs a value}"; shift ;;
    --timeout) TIMEOUT="${2:?--timeout needs seconds}"; shift ;;
    --keep) KEEP=1 ;;
    -h | --help) usage; exit 0 ;;
    *) die "unknown argument $1 (see --help)" 2 ;;
  esac
  shift
done

case "$TIMEOUT" in '' | *[!0-9]*) die "--timeout takes a number of seconds" 2 ;; esac
if [ -n "$IMAGE" ] && [ "$TARGETS" = "onprem cloud" ]; then die "--image goes with --target onprem or --target cloud" 2; fi
[ "$(id -u)" = 0 ] || die "needs root (podman mount, unshare -m, chroot)"
for tool in podman unshare chroot setsid openssl curl node npm; do
  command -v "$tool" >/dev/null 2>&1 || die "needs $tool"
done
[ -d "$ROOT/node_modules/tsx" ] || die "the stand-ins run from the repository: npm ci first"

if [ -z "$TAG" ]; then
  TAG="$(git -C "$ROOT" rev-parse --short=12 HEAD)"
  if [ -n "$(git -C "$ROOT" status --porcelain)" ]; then TAG="$TAG-dirty"; fi
fi
HYBRID=0
if [ "$TARGETS" = "onprem cloud" ]; then HYBRID=1; fi
declare -A IMAGES
for target in $TARGETS; do
  IMAGES[$target]="${IMAGE:-timesheet-$target:$TAG}"
  podman image exists "${IMAGES[$target]}" || die "no image ${IMAGES[$target]}: build it first (scripts/deploy/build-images.sh)"
done

# --- the run folder, and everything started here, undone on exit --------------------------------
RUN="$(mktemp -d "${TMPDIR:-/var/tmp}/timesheet-try.XXXXXX")"
chmod 0700 "$RUN"
GROUPS_STARTED=()   # process group ids (each started with setsid), stopped in reverse order
declare -A NAME_OF
CONTAINERS=()

stop_group() { # pgid name: SIGTERM, a bounded wait, then SIGKILL
  local pgid="$1" i
  kill -0 -- "-$pgid" 2>/dev/null || return 0
  kill -TERM -- "-$pgid" 2>/dev/null || true
  for ((i = 0; i < 150; i++)); do
    kill -0 -- "-$pgid" 2>/dev/null || return 0
    sleep 0.2
  done
  say "${NAME_OF[$pgid]:-$pgid} did not stop within 30 s: SIGKILL"
  kill -KILL -- "-$pgid" 2>/dev/null || true
}

cleanup() {
  local status=$? i
  trap - EXIT INT TERM
  for ((i = ${#GROUPS_STARTED[@]} - 1; i >= 0; i--)); do stop_group "${GROUPS_STARTED[$i]}"; done
  for c in "${CONTAINERS[@]}"; do
    podman umount "$c" >/dev/null 2>&1 || true
    podman rm -f "$c" >/dev/null 2>&1 || true
  done
  if [ "$KEEP" = 1 ]; then say "run folder kept: $RUN (THROWAWAY secrets inside)"; else rm -rf "$RUN"; fi
  exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# start NAME COMMAND...: in its own process group (setsid), output to $RUN/NAME.log
start() {
  local name="$1"
  shift
  setsid "$@" >"$RUN/$name.log" 2>&1 </dev/null &
  GROUPS_STARTED+=("$!")
  NAME_OF[$!]="$name"
  eval "PID_$name=\$!"
}

show_log() { say "last lines of $1.log:"; tail -n "${2:-25}" "$RUN/$1.log" | sed 's/^/    /' >&2; }

# wait_http NAME URL [any]: polls until URL answers 2xx (any HTTP status with "any"), while the
# process NAME lives, at most $TIMEOUT seconds. The answer's body is left in $RUN/NAME.answer.
wait_http() {
  local name="$1" url="$2" any="${3:-}" pid code deadline=$((SECONDS + TIMEOUT))
  pid="$(eval "echo \$PID_$name")"
  while [ "$SECONDS" -lt "$deadline" ]; do
    if ! kill -0 "$pid" 2>/dev/null; then
      show_log "$name"
      die "$name stopped before $url answered"
    fi
    code="$(curl -s -o "$RUN/$name.answer" -w '%{http_code}' --max-time 3 "$url" || true)"
    case "$code" in
      2??) return 0 ;;
      000 | '') ;;
      *) if [ -n "$any" ]; then return 0; fi ;;
    esac
    sleep 0.25
  done
  show_log "$name"
  die "$name: no 2xx from $url within $TIMEOUT s (last: HTTP ${code:-none}, $(head -c 400 "$RUN/$name.answer" 2>/dev/null))"
}

# free ports on 127.0.0.1, as many as asked
free_ports() {
  node -e '
    const net = require("node:net");
    const servers = Array.from({ length: Number(process.argv[1]) }, () => net.createServer());
    Promise.all(servers.map((s) => new Promise((r) => s.listen(0, "127.0.0.1", () => r(s.address().port)))))
      .then((ports) => { console.log(ports.join(" ")); servers.forEach((s) => s.close()); });
  ' "$1"
}

secret() { openssl rand -base64 "$1" | tr -d '\n'; }

read -r P_ERP P_STS P_FABRIKAM P_AZURITE P_RELAY P_ONPREM P_CLOUD <<<"$(free_ports 7)"
declare -A APP_PORT=([onprem]="$P_ONPREM" [cloud]="$P_CLOUD")
declare -A APP_URL=([onprem]="http://127.0.0.1:$P_ONPREM" [cloud]="http://127.0.0.1:$P_CLOUD")

# --- THROWAWAY secrets of this run ------------------------------------------------------------
mkdir -p "$RUN/secrets"
export TRY_COPIES_SECRET TRY_SEND_KEY TRY_LISTEN_KEY TRY_AZURITE_ACCOUNT TRY_AZURITE_KEY
TRY_COPIES_SECRET="$(secret 48)"
TRY_SEND_KEY="$(secret 32)"
TRY_LISTEN_KEY="$(secret 32)"
TRY_AZURITE_ACCOUNT="trytimesheet$(openssl rand -hex 4)"
TRY_AZURITE_KEY="$(secret 64)"
say "run folder $RUN; THROWAWAY secrets generated for this run only (openssl rand, openssl req)"

# --- stand-ins, from the repository -----------------------------------------------------------
cd "$ROOT"
WANT_CLOUD=0
case " $TARGETS " in *" cloud "*) WANT_CLOUD=1 ;; esac
start erp npm run --silent erp -- --port "$P_ERP" --nodes 1 --db "$RUN/erp-simulator.db"
start sts env DEV_STS_PORT="$P_STS" DEV_FABRIKAM_PORT="$P_FABRIKAM" npm run --silent sts
if [ "$WANT_CLOUD" = 1 ]; then
  mkdir -p "$RUN/azurite"
  start azurite env AZURITE_ACCOUNTS="$TRY_AZURITE_ACCOUNT:$TRY_AZURITE_KEY" "$ROOT/node_modules/.bin/azurite-table" \
    --tableHost 127.0.0.1 --tablePort "$P_AZURITE" --location "$RUN/azurite" --disableTelemetry --skipApiVersionCheck --silent
  start relay env RELAY_HOST=127.0.0.1 RELAY_PORT="$P_RELAY" \
    RELAY_SEND_KEY_NAME=timesheet-send RELAY_SEND_KEY="$TRY_SEND_KEY" \
    RELAY_LISTEN_KEY_NAME=onprem-link-listen RELAY_LISTEN_KEY="$TRY_LISTEN_KEY" npm run --silent relay
fi
wait_http erp "http://127.0.0.1:$P_ERP/erp?wsdl"
wait_http sts "http://127.0.0.1:$P_STS/metadata"
say "stand-ins: ERP simulator :$P_ERP, STS :$P_STS (Fabrikam :$P_FABRIKAM)"
if [ "$WANT_CLOUD" = 1 ]; then
  wait_http azurite "http://127.0.0.1:$P_AZURITE/$TRY_AZURITE_ACCOUNT/Tables" any
  wait_http relay "http://127.0.0.1:$P_RELAY/" any
  link_env=(LINK_RELAY_URL="http://127.0.0.1:$P_RELAY" LINK_KEY_NAME=onprem-link-listen LINK_KEY="$TRY_LISTEN_KEY"
    LINK_ERP_ENDPOINTS="http://127.0.0.1:$P_ERP")
  if [ "$HYBRID" = 1 ]; then link_env+=(LINK_APP_ENDPOINTS="${APP_URL[onprem]}"); fi
  start link env "${link_env[@]}" npm run --silent link-service
  say "stand-ins: Azurite (account $TRY_AZURITE_ACCOUNT) :$P_AZURITE, relay :$P_RELAY, link service"
fi

# --- production.json of each copy ---------------------------------------------------------------
# What a production configuration must hold (the image has no development values): session
# secrets, SAML identity providers (here the stand-in STS, with its public certificate), the SP's
# signing pair, and the addresses and keys of the target's store, ERP path and other copy.
cat >"$RUN/write-config.cjs" <<'EOF'
const fs = require('node:fs');
const e = process.env;
const read = (f) => fs.readFileSync(f, 'utf8');
const hybrid = e.TRY_HYBRID === '1';
const config = {
  _comment: 'THROWAWAY production configuration written by scripts/deploy/try-images.sh for one run; every secret and key in it was generated for that run and is deleted with it.',
  app: { publicUrl: e.TRY_APP_URL, sessionSecrets: [e.TRY_SESSION_SECRET] },
  log: { level: 'info' },
  metrics: { token: e.TRY_METRICS_TOKEN },
  saml: {
    sp: { signingKey: read(`${e.TRY_RUN}/secrets/sp-${e.TRY_TARGET}.key`), signingCert: read(`${e.TRY_RUN}/secrets/sp-${e.TRY_TARGET}.crt`) },
    idps: [{
      id: 'contoso', label: 'CONTOSO', entityId: 'urn:contoso:dev-sts',
      ssoUrl: `${e.TRY_STS}/sso`, sloUrl: `${e.TRY_STS}/slo`,
      certs: [read(`${e.TRY_ROOT}/config/dev/keys/dev-sts.crt`)], emailDomains: ['contoso.example'],
    }],
  },
  burst: { otherUrl: hybrid ? (e.TRY_TARGET === 'onprem' ? e.TRY_CLOUD_URL : e.TRY_ONPREM_URL) : null },
  copies: { secrets: hybrid ? [e.TRY_COPIES_SECRET] : [] },
  pluginSettings: e.TRY_TARGET === 'onprem'
    ? { 'erp-direct': { endpoints: [`${e.TRY_ERP}/erp`] } }
    : {
        'session-azure-tables': { connectionString: `DefaultEndpointsProtocol=http;AccountName=${e.TRY_AZURITE_ACCOUNT};AccountKey=${e.TRY_AZURITE_KEY};TableEndpoint=${e.TRY_AZURITE}/${e.TRY_AZURITE_ACCOUNT};` },
        'erp-relay': { relayBaseUrl: e.TRY_RELAY, keyName: 'timesheet-send', key: e.TRY_SEND_KEY },
        'other-copy-relay': { relayBaseUrl: e.TRY_RELAY, keyName: 'timesheet-send', key: e.TRY_SEND_KEY },
      },
};
fs.writeFileSync(`${process.argv[2]}/production.json`, `${JSON.stringify(config, null, 2)}\n`, { mode: 0o640 });
EOF

write_config() { # target dir
  local target="$1" dir="$2"
  secret 36 >"$RUN/secrets/metrics-$target"
  openssl req -x509 -newkey rsa:3072 -sha256 -nodes -days 2 \
    -subj "/CN=THROWAWAY timesheet-$target try-images.sh" \
    -keyout "$RUN/secrets/sp-$target.key" -out "$RUN/secrets/sp-$target.crt" 2>/dev/null
  TRY_TARGET="$target" TRY_HYBRID="$HYBRID" TRY_RUN="$RUN" TRY_ROOT="$ROOT" \
    TRY_SESSION_SECRET="$(secret 48)" TRY_METRICS_TOKEN="$(cat "$RUN/secrets/metrics-$target")" \
    TRY_APP_URL="${APP_URL[$target]}" TRY_ONPREM_URL="${APP_URL[onprem]}" TRY_CLOUD_URL="${APP_URL[cloud]}" \
    TRY_ERP="http://127.0.0.1:$P_ERP" TRY_STS="http://127.0.0.1:$P_STS" \
    TRY_AZURITE="http://127.0.0.1:$P_AZURITE" TRY_RELAY="http://127.0.0.1:$P_RELAY" \
    node "$RUN/write-config.cjs" "$dir"
  chown "0:${UIDGID[$target]#*:}" "$dir/production.json"
}

# --- the image's file system, and how its CMD runs in it -------------------------------------------
cat >"$RUN/in-image.sh" <<'EOF'
# sh in-image.sh ROOTFS CONFIG_DIR DATA_DIR UID GID WORKDIR COMMAND...; run by unshare -m (private mounts)
set -e
R="$1" CONF="$2" DATA="$3" U="$4" G="$5" WD="$6"
shift 6
mount -t proc proc "$R/proc"
mount -t tmpfs -o mode=0755,nosuid tmpfs "$R/dev"
for d in null zero full random urandom tty; do
  touch "$R/dev/$d"
  mount --bind "/dev/$d" "$R/dev/$d"
done
mkdir -p "$R/dev/shm"
mount -t tmpfs -o mode=1777,nosuid,nodev tmpfs "$R/dev/shm"
mount -t tmpfs -o mode=1777,nosuid,nodev tmpfs "$R/tmp"
[ -e "$R/etc/hosts" ] || touch "$R/etc/hosts"
mount --bind /etc/hosts "$R/etc/hosts"
mount -o remount,bind,ro "$R/etc/hosts"
mount --bind "$CONF" "$R/app/config/env"
mount -o remount,bind,ro "$R/app/config/env"
mount --bind "$DATA" "$R/app/data"
exec chroot "$R" /usr/bin/setpriv --reuid="$U" --regid="$G" --clear-groups --no-new-privs -- \
  /bin/sh -c 'cd "$0" && exec "$@"' "$WD" "$@"
EOF

declare -A ROOTFS UIDGID WORKDIR_OF
prepare_image() { # target: container, mount, user, volumes
  local target="$1" image="${IMAGES[$1]}" c user passwd uid
  c="timesheet-try-$target-$$"
  podman create --name "$c" "$image" >/dev/null
  CONTAINERS+=("$c")
  ROOTFS[$target]="$(podman mount "$c")"
  user="$(podman image inspect --format '{{.Config.User}}' "$image")"
  WORKDIR_OF[$target]="$(podman image inspect --format '{{.Config.WorkingDir}}' "$image")"
  passwd="${ROOTFS[$target]}/etc/passwd"
  case "$user" in
    '' | root | 0) die "$image runs as root (USER $user)" ;;
    *[!0-9:]*) uid="$(awk -F: -v u="${user%%:*}" '$1 == u { print $3 ":" $4 }' "$passwd")" ;;
    *) uid="$user" ;;
  esac
  [ -n "$uid" ] || die "$image: USER $user is not in its /etc/passwd"
  UIDGID[$target]="$uid"
  for v in /app/config/env /app/data; do
    [ -d "${ROOTFS[$target]}$v" ] || die "$image has no $v"
  done
  mkdir -p "$RUN/$target/config-env" "$RUN/$target/data" "$RUN/$target/empty-config"
  chown "0:${uid#*:}" "$RUN/$target/config-env" "$RUN/$target/empty-config"
  chmod 0750 "$RUN/$target/config-env" "$RUN/$target/empty-config"
  chown "$uid" "$RUN/$target/data"
  chmod 0700 "$RUN/$target/data"
  say "$target: $image, file system at ${ROOTFS[$target]}, USER $user = uid:gid $uid, WORKDIR ${WORKDIR_OF[$target]}"
}

# the image's ENV, ENTRYPOINT + CMD, and this run's settings
image_env() { podman image inspect --format '{{range .Config.Env}}{{println .}}{{end}}' "$1" | sed '/^$/d'; }
image_argv() { podman image inspect --format '{{range .Config.Entrypoint}}{{println .}}{{end}}{{range .Config.Cmd}}{{println .}}{{end}}' "$1" | sed '/^$/d'; }

# image_command TARGET CONFIG_DIR [COMMAND...]: sets CMD_LINE to the command that runs the image's
# ENTRYPOINT + CMD (or COMMAND) in its file system, with the image's ENV and this run's settings.
image_command() {
  local target="$1" conf="$2" uid
  shift 2
  local -a envs argv
  mapfile -t envs < <(image_env "${IMAGES[$target]}")
  if [ $# -gt 0 ]; then argv=("$@"); else mapfile -t argv < <(image_argv "${IMAGES[$target]}"); fi
  uid="${UIDGID[$target]}"
  envs+=(HOME=/home/node HOSTNAME="timesheet-try-$target" TIMESHEET_ENV=production
    TIMESHEET_APP__HOST=127.0.0.1 TIMESHEET_APP__PORT="${APP_PORT[$target]}")
  CMD_LINE=(env -i "${envs[@]}" /usr/bin/unshare -m --propagation private -- /bin/sh "$RUN/in-image.sh"
    "${ROOTFS[$target]}" "$conf" "$RUN/$target/data" "${uid%%:*}" "${uid#*:}" "${WORKDIR_OF[$target]}" "${argv[@]}")
}

for target in $TARGETS; do
  prepare_image "$target"
  # Without configuration the image has no development values to fall back on: it must refuse.
  image_command "$target" "$RUN/$target/empty-config"
  refused=0
  timeout "$TIMEOUT" "${CMD_LINE[@]}" >"$RUN/$target-unconfigured.log" 2>&1 || refused=$?
  if [ "$refused" != 78 ]; then
    sed 's/^/    /' "$RUN/$target-unconfigured.log" | tail -n 20 >&2
    die "$target without production.json: exit $refused, expected 78 (EX_CONFIG)"
  fi
  say "$target without config/env/production.json refuses to start: exit 78, $(head -n 1 "$RUN/$target-unconfigured.log") $(sed -n 's/^  - \([^:]*\):.*/\1/p' "$RUN/$target-unconfigured.log" | paste -sd ',' -)"
  write_config "$target" "$RUN/$target/config-env"
done

declare -A STARTED_AT
for target in $TARGETS; do
  STARTED_AT[$target]=$SECONDS
  image_command "$target" "$RUN/$target/config-env"
  start "$target" "${CMD_LINE[@]}"
  say "$target: started as uid ${UIDGID[$target]%%:*} ($(image_argv "${IMAGES[$target]}" | paste -sd ' ' -)), NODE_ENV=production TIMESHEET_ENV=production, ${APP_URL[$target]}"
done

for target in $TARGETS; do
  wait_http "$target" "${APP_URL[$target]}/readyz"
  say "$target: /readyz 200 after $((SECONDS - STARTED_AT[$target])) s: $(cat "$RUN/$target.answer")"
done

for target in $TARGETS; do
  # The process really runs as the image's user, from the image's file system.
  pid="$(eval "echo \$PID_$target")"
  say "$target: process $(awk '/^Uid:/ { print "uid " $2 }' "/proc/$pid/status"), root $(readlink "/proc/$pid/root"), $(tr '\0' '\n' <"/proc/$pid/environ" | grep -E '^(NODE_ENV|TIMESHEET_ENV)=' | paste -sd ' ' -)"
  say "$target: /healthz $(curl -s "${APP_URL[$target]}/healthz"); login page HTTP $(curl -s -o /dev/null -w '%{http_code}' "${APP_URL[$target]}/login")"
  # The image's HEALTHCHECK command, in the image, with this run's port instead of 3000.
  hc="$(podman image inspect --format '{{range $i, $a := .Config.Healthcheck.Test}}{{if $i}}{{$a}}{{end}}{{end}}' "${IMAGES[$target]}")"
  hc="${hc//:3000\//:${APP_PORT[$target]}/}"
  image_command "$target" "$RUN/$target/config-env" /bin/sh -c "$hc"
  if timeout 30 "${CMD_LINE[@]}" >"$RUN/$target-healthcheck.log" 2>&1; then
    say "$target: the image's HEALTHCHECK (port ${APP_PORT[$target]}): exit 0"
  else
    say "$target: the image's HEALTHCHECK failed"; sed 's/^/    /' "$RUN/$target-healthcheck.log" >&2; exit 1
  fi
done

# The burst window as each copy's /metrics (with its token) tells it. Together, the cloud copy
# follows the on-prem copy through the relay and the link service: wait until it has heard from it.
burst_line() {
  curl -s --max-time 3 -H "Authorization: Bearer $(cat "$RUN/secrets/metrics-$1")" "${APP_URL[$1]}/metrics" | grep '^timesheet_burst_open' || true
}
if [ "$HYBRID" = 1 ]; then
  deadline=$((SECONDS + TIMEOUT))
  while line="$(burst_line cloud)"; [ -z "$line" ] || [[ "$line" == *other-copy-unreachable* ]]; do
    [ "$SECONDS" -lt "$deadline" ] || { show_log link; die "the cloud copy did not hear from the on-prem copy within $TIMEOUT s: $line"; }
    sleep 0.5
  done
fi
for target in $TARGETS; do say "$target: /metrics (token) $(burst_line "$target")"; done

# Stop the copies as a platform would (SIGTERM) and check they leave cleanly.
for target in $TARGETS; do
  pid="$(eval "echo \$PID_$target")"
  stopped=$SECONDS
  stop_group "$pid"
  wait "$pid" && code=0 || code=$?
  say "$target: SIGTERM -> exit $code after $((SECONDS - stopped)) s (drain included)"
done
say "done: $(for t in $TARGETS; do printf '%s ' "${IMAGES[$t]}"; done)ready with production settings"
