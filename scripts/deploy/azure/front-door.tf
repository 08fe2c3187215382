# The public entry of the cloud copy: Front Door Premium (managed WAF rule sets, platform DDoS
# protection), the custom domain by CNAME with a managed certificate, HTTPS only.

resource "azurerm_cdn_frontdoor_profile" "main" {
  name                     = var.front_door_profile_name
  resource_group_name      = azurerm_resource_group.main.name
  sku_name                 = "Premium_AzureFrontDoor"
  response_timeout_seconds = var.front_door_response_timeout_seconds
  tags                     = var.tags
}

resource "azurerm_cdn_frontdoor_endpoint" "main" {
  name                     = var.front_door_endpoint_name
  cdn_frontdoor_profile_id = azurerm_cdn_frontdoor_profile.main.id
  enabled                  = true
  tags                     = var.tags
}

resource "azurerm_cdn_frontdoor_origin_group" "app" {
  name                     = local.names.front_door_origin_group
  cdn_frontdoor_profile_id = azurerm_cdn_frontdoor_profile.main.id
  # Sessions live in Table Storage: any replica serves any request, no affinity cookie needed.
  session_affinity_enabled = false

  load_balancing {
    sample_size                 = 4
    successful_samples_required = 3
  }

  # No probe by default: one origin needs none (Front Door sends it the traffic anyway), and probe
  # requests would keep a replica awake all week. See front_door_health_probe_enabled.
  dynamic "health_probe" {
    for_each = var.front_door_health_probe_enabled ? [1] : []
    content {
      protocol            = "Https"
      path                = "/healthz"
      request_type        = "GET"
      interval_in_seconds = var.front_door_health_probe_interval_seconds
    }
  }
}

resource "azurerm_cdn_frontdoor_origin" "app" {
  name                           = local.names.front_door_origin
  cdn_frontdoor_origin_group_id  = azurerm_cdn_frontdoor_origin_group.app.id
  enabled                        = true
  host_name                      = azurerm_container_app.app.ingress[0].fqdn
  origin_host_header             = azurerm_container_app.app.ingress[0].fqdn
  https_port                     = 443
  http_port                      = 80
  certificate_name_check_enabled = true
  priority                       = 1
  weight                         = 1000
}

resource "azurerm_cdn_frontdoor_custom_domain" "app" {
  name                     = local.names.front_door_custom_domain
  cdn_frontdoor_profile_id = azurerm_cdn_frontdoor_profile.main.id
  host_name                = var.custom_domain_host_name

  # Validated by the TXT record _dnsauth.{host} (output dns_validation_txt_record).
  tls {
    certificate_type = "ManagedCertificate"
    minimum_version  = "TLS12"
  }
}

resource "azurerm_cdn_frontdoor_route" "app" {
  name                            = local.names.front_door_route
  cdn_frontdoor_endpoint_id       = azurerm_cdn_frontdoor_endpoint.main.id
  cdn_frontdoor_origin_group_id   = azurerm_cdn_frontdoor_origin_group.app.id
  cdn_frontdoor_origin_ids        = [azurerm_cdn_frontdoor_origin.app.id]
  cdn_frontdoor_custom_domain_ids = [azurerm_cdn_frontdoor_custom_domain.app.id]
  enabled                         = true

  # HTTPS only: plain HTTP is answered with a redirect to HTTPS (Front Door requires both
  # protocols listed for that), and Front Door talks HTTPS to the origin.
  supported_protocols    = ["Http", "Https"]
  https_redirect_enabled = true
  forwarding_protocol    = "HttpsOnly"
  patterns_to_match      = ["/*"]
  # Keeps the *.azurefd.net host usable to check the deployment before the DNS records exist.
  link_to_default_domain = true
  # No cache block: caching disabled, every page is per-user.
}

resource "azurerm_cdn_frontdoor_custom_domain_association" "app" {
  cdn_frontdoor_custom_domain_id = azurerm_cdn_frontdoor_custom_domain.app.id
  cdn_frontdoor_route_ids        = [azurerm_cdn_frontdoor_route.app.id]
}

resource "azurerm_cdn_frontdoor_firewall_policy" "main" {
  name                       = var.waf_policy_name
  resource_group_name        = azurerm_resource_group.main.name
  sku_name                   = azurerm_cdn_frontdoor_profile.main.sku_name
  enabled                    = true
  mode                       = "Prevention"
  request_body_check_enabled = true
  tags                       = var.tags

  # Everyone outside the corporate egress ranges: a per-client-IP limit a person never reaches.
  custom_rule {
    name                           = "RateLimitPerClientIp"
    enabled                        = true
    priority                       = 100
    type                           = "RateLimitRule"
    action                         = "Block"
    rate_limit_duration_in_minutes = var.waf_rate_limit_duration_minutes
    rate_limit_threshold           = var.waf_rate_limit_threshold

    match_condition {
      match_variable     = "SocketAddr"
      operator           = "IPMatch"
      negation_condition = true
      match_values       = var.waf_corporate_egress_cidrs
    }
  }

  # CONTOSO's offices reach the Internet through a few NAT addresses shared by thousands of
  # people on a Friday afternoon: a much higher limit per address, against runaway loops only.
  custom_rule {
    name                           = "RateLimitCorporateEgress"
    enabled                        = true
    priority                       = 200
    type                           = "RateLimitRule"
    action                         = "Block"
    rate_limit_duration_in_minutes = var.waf_rate_limit_duration_minutes
    rate_limit_threshold           = var.waf_corporate_rate_limit_threshold

    match_condition {
      match_variable     = "SocketAddr"
      operator           = "IPMatch"
      negation_condition = false
      match_values       = var.waf_corporate_egress_cidrs
    }
  }

  # DRS 2.x scores anomalies: `Block` applies when a request's score reaches the threshold.
  managed_rule {
    type    = "Microsoft_DefaultRuleSet"
    version = "2.1"
    action  = "Block"
  }

  managed_rule {
    type    = "Microsoft_BotManagerRuleSet"
    version = "1.1"
    action  = "Block"
  }
}

resource "azurerm_cdn_frontdoor_security_policy" "main" {
  name                     = local.names.front_door_security_policy
  cdn_frontdoor_profile_id = azurerm_cdn_frontdoor_profile.main.id

  security_policies {
    firewall {
      cdn_frontdoor_firewall_policy_id = azurerm_cdn_frontdoor_firewall_policy.main.id

      association {
        domain {
          cdn_frontdoor_domain_id = azurerm_cdn_frontdoor_custom_domain.app.id
        }
        domain {
          cdn_frontdoor_domain_id = azurerm_cdn_frontdoor_endpoint.main.id
        }
        patterns_to_match = ["/*"]
      }
    }
  }
}
