#!/usr/bin/env bash
# Rotates one secret of the cloud copy without an outage (the two-slot scheme of azure/secrets.tf):
#
#   1. checks that the tfvars file's rotation counter is the one last applied (terraform output);
#   2. raises it by one in the file (the file stays the record for the next apply);
#   3. applies with the image tag that runs now, so a rotation never deploys another version;
#   4. waits for the new revision (a secret's new value reaches replicas only with a new revision or
#      a restart: the apply makes one, else the script restarts the revision);
#   5. checks /readyz through the public URL, and for the Send key that the ERP answers with it.
#
# The value in use until now stays valid until the next rotation of the same secret: replicas still
# running, session cookies signed with it, link services not yet given the new Listen key.
#
# Usage: rotate-secrets.sh --var-file FILE [--tag TAG] [--yes] relay-send|relay-listen|session-secret
#   --tag   image tag to apply (default: the tag the container app runs now)
#   --yes   terraform apply -auto-approve (default: terraform asks)
# Environment: ROTATE_TIMEOUT_SECONDS (900) and ROTATE_POLL_SECONDS (10) bound the waits;
# ROTATE_TF_DIR (default: the azure/ folder next to this script).
set -euo pipefail

die() {
  echo "rotate-secrets: $*" >&2
  exit 1
}
usage() {
  sed -n '/^# Usage:/,/^# ROTATE_TF_DIR/p' "$0" | sed 's/^# \{0,1\}//' >&2
  exit 2
}

var_file=""
tag=""
auto_approve=()
what=""
while [ $# -gt 0 ]; do
  case "$1" in
    --var-file) var_file="${2:-}"; shift 2 ;;
    --tag) tag="${2:-}"; shift 2 ;;
    --yes) auto_approve=(-auto-approve); shift ;;
    -h | --help) usage ;;
    -*) echo "rotate-secrets: unknown option $1" >&2; usage ;;
    *) [ -z "$what" ] || usage; what="$1"; shift ;;
  esac
done
case "$what" in
  relay-send) counter=relay_send_key_rotation; slot=relay_send ;;
  relay-listen) counter=relay_listen_key_rotation; slot=relay_listen ;;
  session-secret) counter=session_secret_rotation; slot=session_secret ;;
  *) usage ;;
esac
[ -n "$var_file" ] || usage
[ -f "$var_file" ] || die "no such tfvars file: $var_file"
var_file="$(cd "$(dirname "$var_file")" && pwd)/$(basename "$var_file")"
tf_dir="${ROTATE_TF_DIR:-$(cd "$(dirname "$0")/azure" && pwd)}"
timeout_s="${ROTATE_TIMEOUT_SECONDS:-900}"
poll_s="${ROTATE_POLL_SECONDS:-10}"

tf() { terraform -chdir="$tf_dir" "$@"; }
json_field() { node -e 'const o = JSON.parse(require("fs").readFileSync(0, "utf8")); console.log(process.argv[1].split(".").reduce((v, k) => v?.[k], o) ?? "")' "$1"; }

# 1. The file and the state agree on the counter.
applied="$(tf output -json secret_rotations | json_field "counters.$slot")"
[[ "$applied" =~ ^[0-9]+$ ]] || die "terraform output secret_rotations has no counter for $slot (was the Terraform of secrets.tf applied?)"
in_file="$(sed -n -E "s/^[[:space:]]*$counter[[:space:]]*=[[:space:]]*([0-9]+).*/\1/p" "$var_file" | tail -n 1)"
in_file="${in_file:-0}"
[ "$in_file" = "$applied" ] ||
  die "$var_file says $counter = $in_file but the last apply used $applied: bring the file up to date first (a jump of more than one renews both slots)."
next=$((applied + 1))

RG="$(tf output -raw resource_group_name)"
APP="$(tf output -raw container_app_name)"
if [ -z "$tag" ]; then
  image="$(az containerapp show -n "$APP" -g "$RG" --query 'properties.template.containers[0].image' -o tsv)"
  tag="${image##*:}"
  [ -n "$tag" ] && [ "$tag" != "$image" ] || die "cannot read the running image tag of $APP (got '$image'); pass --tag"
fi
before_revision="$(az containerapp show -n "$APP" -g "$RG" --query properties.latestRevisionName -o tsv)"

# 2. The file records the new count.
if grep -q -E "^[[:space:]]*$counter[[:space:]]*=" "$var_file"; then
  sed -i -E "s/^([[:space:]]*$counter[[:space:]]*=[[:space:]]*)[0-9]+/\1$next/" "$var_file"
else
  printf '\n# Raised by rotate-secrets.sh (%s).\n%s = %s\n' "$(date -u +%Y-%m-%d)" "$counter" "$next" >>"$var_file"
fi
echo "rotate-secrets: $what: $counter $applied -> $next in $(basename "$var_file"); image tag $tag (running now)"

# 3. Apply with the running tag.
if ! tf apply -input=false "${auto_approve[@]}" -var-file="$var_file" -var "container_image_tag=$tag"; then
  die "terraform apply failed. $(basename "$var_file") now says $counter = $next: apply again with -var container_image_tag=$tag once fixed, or set it back to $applied if nothing was applied."
fi

# 4. The new revision (or a restart of the old one) brings the new value to the replicas.
deadline=$((SECONDS + timeout_s))
revision="$(az containerapp show -n "$APP" -g "$RG" --query properties.latestRevisionName -o tsv)"
if [ "$revision" = "$before_revision" ]; then
  echo "rotate-secrets: no new revision: restarting $revision so its replicas read the new secret"
  az containerapp revision restart -n "$APP" -g "$RG" --revision "$revision" >/dev/null
fi
while :; do
  state="$(az containerapp revision show -n "$APP" -g "$RG" --revision "$revision" --query properties.provisioningState -o tsv)"
  [ "$state" = "Provisioned" ] && break
  [ "$state" = "Failed" ] && die "revision $revision failed to provision: az containerapp revision show -n $APP -g $RG --revision $revision"
  [ "$SECONDS" -lt "$deadline" ] || die "revision $revision still '$state' after ${timeout_s} s"
  sleep "$poll_s"
done
echo "rotate-secrets: revision $revision provisioned"

# 5. Readiness through the public URL; with a new Send key, the ERP must answer through the relay.
ready_url="$(tf output -raw cloud_url)readyz"
while :; do
  body="$(curl -sS --max-time 10 "$ready_url" 2>/dev/null || true)"
  status="$(printf '%s' "$body" | json_field status 2>/dev/null || true)"
  erp_ok="$(printf '%s' "$body" | node -e 'try { const o = JSON.parse(require("fs").readFileSync(0, "utf8")); console.log((o.dependencies ?? []).find((d) => d.name === "erp")?.ok ?? "") } catch { console.log("") }')"
  if [ "$status" = "ready" ] && { [ "$what" != "relay-send" ] || [ "$erp_ok" = "true" ]; }; then break; fi
  if [ "$SECONDS" -ge "$deadline" ]; then
    if [ "$what" = "relay-send" ]; then
      die "$ready_url: status '$status', ERP through the relay '${erp_ok:-not checked yet}' after ${timeout_s} s. The previous Send key is still valid: set $counter back to $applied and apply with -var container_image_tag=$tag to return to it."
    fi
    die "$ready_url: status '${status:-no answer}' after ${timeout_s} s"
  fi
  sleep "$poll_s"
done
echo "rotate-secrets: $ready_url ready${erp_ok:+ (ERP through the relay: $erp_ok)}"

case "$what" in
  relay-listen)
    cat <<EOF
rotate-secrets: the new Listen key is ready. The link services still listen with the previous one
(rule $(tf output -raw relay_listen_previous_rule_name)), valid until the next rotation. Give each link service,
one host at a time, restarting it after:
  LINK_KEY_NAME=$(tf output -raw relay_listen_rule_name)
  LINK_KEY=\$(terraform -chdir=$tf_dir output -raw relay_listen_primary_key)   # or the Key Vault secret
then check: az relay hyco show -g $RG --namespace-name <relay namespace> -n <hybrid connection> --query listenerCount
EOF
    ;;
  session-secret) echo "rotate-secrets: new sessions are signed with the new secret; cookies signed with the previous one stay valid until the next rotation." ;;
  relay-send) echo "rotate-secrets: the cloud app sends with the new key; the previous one stays valid until the next rotation." ;;
esac
