# Example values for `terraform plan -var-file=example.tfvars`. Copy to production.tfvars
# (git-ignored) and adapt. NO SECRETS in here: relay keys and the session secret are generated
# by Terraform; secret app settings go through TF_VAR_app_secret_settings.

location            = "francecentral"
resource_group_name = "rg-timesheet-cloud"
name_prefix         = "timesheet"

# Globally unique names: pick your own.
container_registry_name = "contosotimesheetcr"
storage_account_name    = "contosotimesheetst"
relay_namespace_name    = "contoso-timesheet-relay"

# The git commit the image was built from (build-images.sh prints the tag).
container_image_tag = "0.1.0-abc1234"

custom_domain_host_name = "cloudtimesheet.contoso.com"
alert_email             = "timesheet-ops@contoso.com"

# CONTOSO's office egress addresses (documentation ranges here: replace them).
waf_corporate_egress_cidrs = ["198.51.100.0/28", "203.0.113.64/28"]

# Burst: default Friday 14:00-18:00 Europe/Paris, replicas pre-warmed from 13:30.
burst_timezone         = "Europe/Paris"
burst_prewarm_cron     = "30 13 * * 5"
burst_end_cron         = "0 18 * * 5"
burst_prewarm_replicas = 3
min_replicas           = 0
max_replicas           = 20

# People who may purge the tables with their own identity (Entra object ids of users/groups).
operator_principal_ids = [] # e.g. ["<object id of the timesheet-ops group>"]

# Non-secret app settings, as environment variables (JSON values are parsed by the app).
app_settings = {
  TIMESHEET_LOG__LEVEL = "info"
}

tags = {
  application = "timesheet"
  component   = "cloud-burst"
  managed-by  = "terraform"
  cost-center = "it-hr-apps"
}

# Secret rotations so far: scripts/deploy/rotate-secrets.sh raises one of these by one (runbook,
# section 5). This file is their record: keep it with the deployment; lower one only to go back
# after a failed rotation, as the script says.
relay_send_key_rotation   = 0
relay_listen_key_rotation = 0
session_secret_rotation   = 0

# Two link services run on-prem: alert when fewer than two were heard from in 5 minutes.
link_service_min_listeners = 2
