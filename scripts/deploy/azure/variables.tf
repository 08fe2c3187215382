# Every name, region, size, replica count and schedule of the cloud copy.
# Required (no default): the globally unique names, the custom domain, the image tag, the alert
# e-mail and the corporate egress ranges. example.tfvars shows a complete set without secrets.

# --- Subscription, region, naming -------------------------------------------------------------

variable "subscription_id" {
  description = "Azure subscription to deploy into. null = ARM_SUBSCRIPTION_ID or the Azure CLI's default subscription."
  type        = string
  default     = null
}

variable "location" {
  description = "Azure region of every regional resource (Front Door is global). France Central is next to the users in Europe/Paris."
  type        = string
  default     = "francecentral"
}

variable "resource_group_name" {
  description = "Resource group holding the whole cloud copy."
  type        = string
  default     = "rg-timesheet-cloud"
}

variable "name_prefix" {
  description = "Prefix of the names that only matter inside this deployment (Front Door origin group, route, alert rules, diagnostic settings)."
  type        = string
  default     = "timesheet"

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{1,30}$", var.name_prefix))
    error_message = "name_prefix: lowercase letters, digits and '-', starting with a letter, at most 31 characters."
  }
}

variable "tags" {
  description = "Tags put on every resource that takes tags."
  type        = map(string)
  default = {
    application = "timesheet"
    component   = "cloud-burst"
    managed-by  = "terraform"
  }
}

# --- Identity and images ----------------------------------------------------------------------

variable "app_identity_name" {
  description = "User-assigned managed identity of the container app (pulls the image, reads and writes the session tables)."
  type        = string
  default     = "id-timesheet-cloud"
}

variable "container_registry_name" {
  description = "Azure Container Registry holding the cloud image. Globally unique, 5-50 letters and digits."
  type        = string

  validation {
    condition     = can(regex("^[a-zA-Z0-9]{5,50}$", var.container_registry_name))
    error_message = "container_registry_name: 5 to 50 letters and digits, nothing else."
  }
}

variable "container_registry_sku" {
  description = "Container Registry SKU: Basic is enough for one image pulled by a few replicas on Fridays."
  type        = string
  default     = "Basic"

  validation {
    condition     = contains(["Basic", "Standard", "Premium"], var.container_registry_sku)
    error_message = "container_registry_sku: Basic, Standard or Premium."
  }
}

variable "container_image_repository" {
  description = "Repository of the cloud image inside the registry (scripts/deploy/build-images.sh tags it)."
  type        = string
  default     = "timesheet-cloud"
}

variable "container_image_tag" {
  description = "Tag of the cloud image to run, e.g. the git commit. Never `latest`: a new tag is what rolls out a new revision."
  type        = string

  validation {
    condition     = var.container_image_tag != "latest" && can(regex("^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$", var.container_image_tag))
    error_message = "container_image_tag: a valid, immutable image tag (not `latest`)."
  }
}

# --- Container Apps ---------------------------------------------------------------------------

variable "container_app_environment_name" {
  description = "Container Apps environment: a workload-profiles environment with the Consumption profile, where the app runs."
  type        = string
  default     = "cae-timesheet-cloud"
}

variable "container_app_name" {
  description = "Container app running the cloud package."
  type        = string
  default     = "ca-timesheet-cloud"

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{0,30}[a-z0-9]$", var.container_app_name))
    error_message = "container_app_name: 2-32 lowercase letters, digits and '-', starting with a letter."
  }
}

variable "container_port" {
  description = "Port the app listens on inside the container (TIMESHEET_APP__PORT); /healthz and /readyz answer there."
  type        = number
  default     = 3000
}

variable "container_cpu" {
  description = "vCPU per replica. Consumption pairs: 0.25/0.5Gi, 0.5/1Gi, 1/2Gi, 2/4Gi. One Node process uses one core at most."
  type        = number
  default     = 0.5
}

variable "container_memory" {
  description = "Memory per replica, matching container_cpu (e.g. 0.5 -> \"1Gi\")."
  type        = string
  default     = "1Gi"
}

variable "min_replicas" {
  description = "Replicas outside the burst: 0, so no replica runs (or bills for compute) the rest of the week; this holds only with front_door_health_probe_enabled = false. 1 or more: an always-on replica, paid for all week."
  type        = number
  default     = 0

  validation {
    condition     = var.min_replicas >= 0 && var.min_replicas <= 300 && floor(var.min_replicas) == var.min_replicas
    error_message = "min_replicas: a whole number between 0 and 300 (the Container Apps limits)."
  }
}

variable "max_replicas" {
  description = "Ceiling of the HTTP scale rule during the burst. Must be above min_replicas and at least burst_prewarm_replicas."
  type        = number
  default     = 20

  validation {
    condition     = var.max_replicas >= 1 && var.max_replicas <= 300 && floor(var.max_replicas) == var.max_replicas
    error_message = "max_replicas: a whole number between 1 and 300 (the Container Apps limits)."
  }
}

variable "http_concurrent_requests" {
  description = "Concurrent HTTP requests per replica above which the HTTP scale rule adds a replica."
  type        = number
  default     = 50
}

variable "scale_cooldown_seconds" {
  description = "Seconds without load before replicas are removed (KEDA cooldown), also after the burst window closes."
  type        = number
  default     = 300
}

variable "burst_timezone" {
  description = "IANA time zone of the burst schedule (KEDA cron `timezone`)."
  type        = string
  default     = "Europe/Paris"
}

variable "burst_prewarm_cron" {
  description = "Cron (minute hour day-of-month month day-of-week) at which pre-warmed replicas start: 30 minutes before the default Friday 14:00 window."
  type        = string
  default     = "30 13 * * 5"

  validation {
    condition     = length(split(" ", trimspace(var.burst_prewarm_cron))) == 5
    error_message = "burst_prewarm_cron: five space-separated cron fields."
  }
}

variable "burst_end_cron" {
  description = "Cron at which the pre-warmed floor ends (window end, default Friday 18:00); the HTTP rule keeps replicas while users remain."
  type        = string
  default     = "0 18 * * 5"

  validation {
    condition     = length(split(" ", trimspace(var.burst_end_cron))) == 5
    error_message = "burst_end_cron: five space-separated cron fields."
  }
}

variable "burst_prewarm_replicas" {
  description = "Replicas held between burst_prewarm_cron and burst_end_cron, before the first user arrives."
  type        = number
  default     = 3
}

variable "trust_proxy_hops" {
  description = "TIMESHEET_APP__TRUST_PROXY: proxies in front of the app (Front Door, then the Container Apps ingress)."
  type        = number
  default     = 2
}

variable "container_app_allowed_cidrs" {
  description = "If not empty, only these source ranges reach the container app's own FQDN (e.g. the AzureFrontDoor.Backend service tag's ranges). Empty = no IP restriction."
  type        = list(string)
  default     = []
}

variable "app_settings" {
  description = "Extra, non-secret environment variables for the app, e.g. TIMESHEET_LOG__LEVEL or the SAML settings as JSON values."
  type        = map(string)
  default     = {}

  validation {
    condition     = alltrue([for k in keys(var.app_settings) : can(regex("^[A-Z_][A-Z0-9_]*$", k))])
    error_message = "app_settings: keys are environment variable names (A-Z, 0-9, _)."
  }
}

variable "app_secret_settings" {
  description = "Extra secret environment variables (e.g. the SAML SP private key), stored as container app secrets named after them (lowercase, '_' -> '-'). Pass them with TF_VAR_app_secret_settings, never in a committed file."
  type        = map(string)
  default     = {}
  sensitive   = true

  # Each key becomes a secret name: lowercase letters, digits and '-', starting and ending with a
  # letter or digit, at most 63 characters, and not one of the secrets Terraform already sets.
  validation {
    condition = alltrue([
      for k in keys(var.app_secret_settings) :
      can(regex("^[A-Z][A-Z0-9_]{0,61}[A-Z0-9]$", k))
    ])
    error_message = "app_secret_settings: keys are environment variable names in capitals (A-Z, 0-9, _), 2-63 characters, starting with a letter and not ending with '_'."
  }

  validation {
    condition = (
      length(distinct([for k in keys(var.app_secret_settings) : lower(replace(k, "_", "-"))])) == length(keys(var.app_secret_settings)) &&
      length(setintersection(toset([for k in keys(var.app_secret_settings) : lower(replace(k, "_", "-"))]), toset(["relay-send-key", "session-secrets"]))) == 0
    )
    error_message = "app_secret_settings: two keys would make the same secret name, or a key (RELAY_SEND_KEY, SESSION_SECRETS) takes the name of a secret Terraform sets itself."
  }
}

# --- Secret rotation (secrets.tf; ../rotate-secrets.sh raises these by one) -------------------

variable "relay_send_key_rotation" {
  description = "Rotations of the relay Send key so far. +1 renews the rule not in use and switches the cloud app to it; the key in use until then stays valid until the next rotation."
  type        = number
  default     = 0

  validation {
    condition     = var.relay_send_key_rotation >= 0 && floor(var.relay_send_key_rotation) == var.relay_send_key_rotation
    error_message = "relay_send_key_rotation: a whole number, 0 or more, raised by one per rotation."
  }
}

variable "relay_listen_key_rotation" {
  description = "Rotations of the relay Listen key so far. +1 renews the rule not in use and makes it current (outputs, Key Vault); the link services keep working with the previous key until the next rotation."
  type        = number
  default     = 0

  validation {
    condition     = var.relay_listen_key_rotation >= 0 && floor(var.relay_listen_key_rotation) == var.relay_listen_key_rotation
    error_message = "relay_listen_key_rotation: a whole number, 0 or more, raised by one per rotation."
  }
}

variable "session_secret_rotation" {
  description = "Rotations of the session-cookie secret so far. +1 renews the older of the two secrets and signs with it; cookies signed with the previous one stay valid (nobody is signed out)."
  type        = number
  default     = 0

  validation {
    condition     = var.session_secret_rotation >= 0 && floor(var.session_secret_rotation) == var.session_secret_rotation
    error_message = "session_secret_rotation: a whole number, 0 or more, raised by one per rotation."
  }
}

# --- Storage (sessions and drafts) ------------------------------------------------------------

variable "storage_account_name" {
  description = "Storage account of the session, draft and lease tables. Globally unique, 3-24 lowercase letters and digits."
  type        = string

  validation {
    condition     = can(regex("^[a-z0-9]{3,24}$", var.storage_account_name))
    error_message = "storage_account_name: 3 to 24 lowercase letters and digits."
  }
}

variable "storage_replication_type" {
  description = "Replication of the storage account. ZRS keeps drafts through the loss of one zone during the burst."
  type        = string
  default     = "ZRS"

  validation {
    condition     = contains(["LRS", "ZRS", "GRS", "RAGRS", "GZRS", "RAGZRS"], var.storage_replication_type)
    error_message = "storage_replication_type: LRS, ZRS, GRS, RAGRS, GZRS or RAGZRS."
  }
}

variable "sessions_table_name" {
  description = "Table of express-session sessions."
  type        = string
  default     = "timesheetsessions"
}

variable "drafts_table_name" {
  description = "Table of week drafts."
  type        = string
  default     = "timesheetdrafts"
}

variable "lease_table_name" {
  description = "Table holding the purge lease (one replica purges expired rows at a time)."
  type        = string
  default     = "timesheetleases"
}

variable "operator_principal_ids" {
  description = "Entra object ids (users or groups) that may read and purge the tables with their own identity (`npm run sessions:purge` from an operator's machine)."
  type        = set(string)
  default     = []
}

# --- Azure Relay ------------------------------------------------------------------------------

variable "relay_namespace_name" {
  description = "Azure Relay namespace (globally unique: {name}.servicebus.windows.net)."
  type        = string

  validation {
    condition     = can(regex("^[a-zA-Z][a-zA-Z0-9-]{4,48}[a-zA-Z0-9]$", var.relay_namespace_name))
    error_message = "relay_namespace_name: 6-50 letters, digits and '-', starting with a letter."
  }
}

variable "hybrid_connection_name" {
  description = "Hybrid connection carrying the ERP's SOAP calls (the app and the link service are given this name)."
  type        = string
  default     = "erp"
}

variable "relay_send_rule_name" {
  description = "Authorization rules with Send only ({name} and {name}-a, one per rotation slot): the current one's key is given to the cloud app."
  type        = string
  default     = "cloud-app-send"
}

variable "relay_listen_rule_name" {
  description = "Authorization rules with Listen only ({name} and {name}-a, one per rotation slot): the current one's key is given to the on-prem link services."
  type        = string
  default     = "onprem-link-listen"
}

variable "link_service_key_vault_id" {
  description = "Optional: id of an existing Key Vault where Terraform also stores the Listen key for the on-prem team. null = output only."
  type        = string
  default     = null
}

variable "link_service_key_vault_secret_name" {
  description = "Name of the Key Vault secret holding the Listen key (used when link_service_key_vault_id is set)."
  type        = string
  default     = "timesheet-relay-listen-key"
}

# --- Front Door and WAF -----------------------------------------------------------------------

variable "front_door_profile_name" {
  description = "Front Door Premium profile."
  type        = string
  default     = "afd-timesheet-cloud"
}

variable "front_door_endpoint_name" {
  description = "Front Door endpoint; Azure appends a hash: {name}-{hash}.z01.azurefd.net is the CNAME target."
  type        = string
  default     = "timesheet-cloud"
}

variable "front_door_response_timeout_seconds" {
  description = "Front Door's wait for the origin (16-240 s). Above the relay's 60 s ERP timeout so the app, not Front Door, answers a slow ERP."
  type        = number
  default     = 90
}

variable "front_door_health_probe_enabled" {
  description = "Probe /healthz from Front Door. Off by default: with its single origin Front Door needs no probe (Microsoft: a single origin may disable them), and probes are requests that would keep a replica running all week. true requires min_replicas >= 1 (an always-on replica)."
  type        = bool
  default     = false
}

variable "front_door_health_probe_interval_seconds" {
  description = "Seconds between Front Door health probes (1-255), from every Front Door point of presence."
  type        = number
  default     = 100
}

variable "custom_domain_host_name" {
  description = "Public host name of the cloud copy, e.g. cloudtimesheet.contoso.com: a CNAME to the Front Door endpoint, managed certificate."
  type        = string

  validation {
    condition     = can(regex("^([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\\.)+[a-z]{2,63}$", var.custom_domain_host_name)) && length(var.custom_domain_host_name) <= 64
    error_message = "custom_domain_host_name: a lowercase FQDN of at most 64 characters (managed certificates allow no more)."
  }
}

variable "waf_policy_name" {
  description = "Front Door WAF policy (letters and digits only, starting with a letter)."
  type        = string
  default     = "waftimesheetcloud"

  validation {
    condition     = can(regex("^[a-zA-Z][a-zA-Z0-9]{0,127}$", var.waf_policy_name))
    error_message = "waf_policy_name: letters and digits only, starting with a letter."
  }
}

variable "waf_rate_limit_threshold" {
  description = "Requests per client IP and rate-limit window above which the WAF blocks (clients outside the corporate egress ranges)."
  type        = number
  default     = 300
}

variable "waf_rate_limit_duration_minutes" {
  description = "Rate-limit window in minutes (Front Door accepts 1 or 5)."
  type        = number
  default     = 1

  validation {
    condition     = contains([1, 5], var.waf_rate_limit_duration_minutes)
    error_message = "waf_rate_limit_duration_minutes: 1 or 5."
  }
}

variable "waf_corporate_egress_cidrs" {
  description = "Public egress ranges of CONTOSO's offices: thousands of employees share these few addresses, so they get their own, higher per-IP rate limit."
  type        = list(string)

  validation {
    condition     = length(var.waf_corporate_egress_cidrs) > 0 && alltrue([for c in var.waf_corporate_egress_cidrs : can(cidrhost(c, 0))])
    error_message = "waf_corporate_egress_cidrs: at least one range, each in CIDR notation."
  }
}

variable "waf_corporate_rate_limit_threshold" {
  description = "Requests per corporate egress IP and window above which the WAF blocks (a safety net against loops, not a per-user limit)."
  type        = number
  default     = 20000
}

# --- Monitoring -------------------------------------------------------------------------------

variable "log_analytics_workspace_name" {
  description = "Log Analytics workspace: container console logs, Front Door access and WAF logs, relay events."
  type        = string
  default     = "log-timesheet-cloud"
}

variable "log_retention_days" {
  description = "Days the workspace keeps logs (30-730)."
  type        = number
  default     = 30
}

variable "application_insights_name" {
  description = "Workspace-based Application Insights component."
  type        = string
  default     = "appi-timesheet-cloud"
}

variable "action_group_name" {
  description = "Action group notified by every alert."
  type        = string
  default     = "ag-timesheet-cloud"
}

variable "action_group_short_name" {
  description = "Short name of the action group (shown in notifications, at most 12 characters)."
  type        = string
  default     = "timesheet"

  validation {
    condition     = length(var.action_group_short_name) >= 1 && length(var.action_group_short_name) <= 12
    error_message = "action_group_short_name: 1 to 12 characters."
  }
}

variable "alert_email" {
  description = "E-mail address (preferably a team list) that receives the alerts."
  type        = string

  validation {
    condition     = can(regex("^[^@\\s]+@[^@\\s]+\\.[^@\\s]+$", var.alert_email))
    error_message = "alert_email: an e-mail address."
  }
}

variable "alert_5xx_percent_threshold" {
  description = "Alert when more than this percentage of Front Door responses are 5xx over 5 minutes."
  type        = number
  default     = 5
}

variable "alert_p95_latency_ms" {
  description = "Alert when the 95th percentile of Front Door's total request time exceeds this many milliseconds over 5 minutes."
  type        = number
  default     = 2000
}

variable "alert_erp_failures_threshold" {
  description = "Alert when the app logs more ERP failures (unavailable or timed out) than this in 5 minutes."
  type        = number
  default     = 5
}

variable "erp_failure_log_markers" {
  description = "Terms that mark an ERP failure in the app's JSON console logs (failure codes and error class names)."
  type        = list(string)
  default     = ["erp-unavailable", "erp-timeout", "ErpUnavailableError", "ErpTimeoutError"]
}

variable "link_service_min_listeners" {
  description = "Alert when fewer on-prem link services than this sent their heartbeat in 5 minutes. 1: alert when none listens; 2 (the runbook runs two hosts): also when one of them is down."
  type        = number
  default     = 1

  validation {
    condition     = var.link_service_min_listeners >= 1 && floor(var.link_service_min_listeners) == var.link_service_min_listeners
    error_message = "link_service_min_listeners: a whole number, 1 or more."
  }
}
