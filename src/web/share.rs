//! Sharing on the local network: which addresses colleagues can reach, the startup banner,
//! and QR codes (SVG for pages, text for the terminal) made on the server.

use axum::extract::{Query, State};
use axum::http::header::{CACHE_CONTROL, CONTENT_TYPE};
use axum::response::{IntoResponse, Response};
use qrcode::QrCode;
use qrcode::render::{svg, unicode};
use serde::Deserialize;
use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::sync::Arc;

use super::AppState;
use super::error::AppError;

/// Where colleagues can open the app: the base URL of the first LAN address, when the server
/// listens beyond loopback; and the access key the links carry, in token mode.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Share {
    pub lan_base: Option<String>,
    pub key: Option<String>,
}

impl Share {
    /// The URL a colleague can open for `path` (with the key, in token mode), when the server
    /// is reachable on the LAN.
    pub fn url(&self, path: &str) -> Option<String> {
        let base = self.lan_base.as_ref()?;
        Some(match &self.key {
            None => format!("{base}{path}"),
            Some(key) => {
                let separator = if path.contains('?') { '&' } else { '?' };
                let key: String = form_urlencoded::byte_serialize(key.as_bytes()).collect();
                format!(
                    "{base}{path}{separator}{}={key}",
                    crate::web::guard::KEY_PARAMETER
                )
            }
        })
    }
}

/// Interface names of virtual bridges and tunnels: addresses there are not for colleagues.
const VIRTUAL_INTERFACE_PREFIXES: &[&str] = &[
    "docker",
    "br-",
    "veth",
    "virbr",
    "vmnet",
    "vboxnet",
    "cni",
    "flannel",
    "lxc",
    "lxd",
    "podman",
    "tun",
    "tap",
    "zt",
    "tailscale",
    "utun",
];

/// An address of one of this machine's interfaces.
#[derive(Debug, Clone, PartialEq)]
pub struct InterfaceAddress {
    pub interface: String,
    pub ip: IpAddr,
}

/// The machine's IPv4 addresses that colleagues can reach: private ranges first, without
/// loopback, link-local (169.254.x.x) and virtual bridges.
pub fn lan_addresses(interfaces: &[InterfaceAddress]) -> Vec<Ipv4Addr> {
    let mut addresses: Vec<Ipv4Addr> = interfaces
        .iter()
        .filter(|i| {
            !VIRTUAL_INTERFACE_PREFIXES
                .iter()
                .any(|p| i.interface.starts_with(p))
        })
        .filter_map(|i| match i.ip {
            IpAddr::V4(ip) if !ip.is_loopback() && !ip.is_link_local() && !ip.is_unspecified() => {
                Some(ip)
            }
            _ => None,
        })
        .collect();
    addresses.sort_by_key(|ip| (!ip.is_private(), *ip));
    addresses.dedup();
    addresses
}

/// The interfaces of this machine, as the operating system lists them.
pub fn system_interfaces() -> Vec<InterfaceAddress> {
    if_addrs::get_if_addrs()
        .map(|list| {
            list.into_iter()
                .map(|i| InterfaceAddress {
                    ip: i.ip(),
                    interface: i.name,
                })
                .collect()
        })
        .unwrap_or_default()
}

/// True when a socket bound to `ip` is reachable from other machines.
pub fn listens_beyond_loopback(ip: IpAddr) -> bool {
    !ip.is_loopback()
}

/// The URLs to print at startup: loopback first (when reachable there), then each LAN address.
pub fn reachable_urls(bound: SocketAddr, lan: &[Ipv4Addr]) -> Vec<String> {
    let port = bound.port();
    let ip = bound.ip();
    if ip.is_unspecified() {
        let mut urls = vec![format!("http://127.0.0.1:{port}/")];
        urls.extend(lan.iter().map(|a| format!("http://{a}:{port}/")));
        urls
    } else {
        vec![format!("http://{bound}/")]
    }
}

/// An SVG QR code of `text`, dark modules on white so that phones read it in either theme.
pub fn qr_svg(text: &str) -> Option<String> {
    let code = QrCode::new(text.as_bytes()).ok()?;
    Some(
        code.render::<svg::Color>()
            .min_dimensions(160, 160)
            .quiet_zone(true)
            .build(),
    )
}

/// A QR code drawn with block characters, for the terminal.
pub fn qr_text(text: &str) -> Option<String> {
    let code = QrCode::new(text.as_bytes()).ok()?;
    Some(
        code.render::<unicode::Dense1x2>()
            .dark_color(unicode::Dense1x2::Light)
            .light_color(unicode::Dense1x2::Dark)
            .build(),
    )
}

#[derive(Deserialize)]
pub struct QrParams {
    path: String,
}

/// Paths worth a QR code are short; a longer one is not a page of this app.
const MAX_QR_PATH: usize = 512;

/// `GET /share/qr.svg?path=/speeches/x`: the QR code of that page's LAN URL.
pub async fn qr_code(
    State(state): State<Arc<AppState>>,
    Query(params): Query<QrParams>,
) -> Result<Response, AppError> {
    if !params.path.starts_with('/')
        || params.path.starts_with("//")
        || params.path.len() > MAX_QR_PATH
    {
        return Err(AppError::BadRequest(
            "path must be a path of this site".to_owned(),
        ));
    }
    let url = state
        .share
        .url(&params.path)
        .ok_or_else(|| AppError::NotFound("the server does not listen on the LAN".to_owned()))?;
    let svg = qr_svg(&url)
        .ok_or_else(|| AppError::BadRequest("path too long for a QR code".to_owned()))?;
    Ok((
        [
            (CONTENT_TYPE, "image/svg+xml"),
            (CACHE_CONTROL, "public, max-age=3600"),
        ],
        svg,
    )
        .into_response())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn interface(name: &str, ip: &str) -> InterfaceAddress {
        InterfaceAddress {
            interface: name.to_owned(),
            ip: ip.parse().unwrap(),
        }
    }

    #[test]
    fn lan_addresses_private_first_without_loopback_link_local_or_bridges() {
        let interfaces = vec![
            interface("lo", "127.0.0.1"),
            interface("eth1", "203.0.113.7"),
            interface("docker0", "172.17.0.1"),
            interface("eth0", "192.168.1.20"),
            interface("wlan0", "169.254.3.4"),
            interface("eth0", "fe80::1"),
            interface("eth2", "10.0.0.5"),
        ];
        let expected: Vec<Ipv4Addr> = ["10.0.0.5", "192.168.1.20", "203.0.113.7"]
            .iter()
            .map(|a| a.parse().unwrap())
            .collect();
        assert_eq!(lan_addresses(&interfaces), expected);
    }

    #[test]
    fn urls_for_loopback_all_interfaces_and_one_address() {
        let lan: Vec<Ipv4Addr> = vec!["192.168.1.20".parse().unwrap()];
        assert_eq!(
            reachable_urls("127.0.0.1:8080".parse().unwrap(), &lan),
            vec!["http://127.0.0.1:8080/"]
        );
        assert_eq!(
            reachable_urls("127.0.0.2:8080".parse().unwrap(), &lan),
            vec!["http://127.0.0.2:8080/"]
        );
        assert_eq!(
            reachable_urls("[::1]:8080".parse().unwrap(), &lan),
            vec!["http://[::1]:8080/"]
        );
        assert_eq!(
            reachable_urls("0.0.0.0:8080".parse().unwrap(), &lan),
            vec!["http://127.0.0.1:8080/", "http://192.168.1.20:8080/"]
        );
        assert_eq!(
            reachable_urls("192.168.1.20:9000".parse().unwrap(), &lan),
            vec!["http://192.168.1.20:9000/"]
        );
    }

    #[test]
    fn qr_codes_render() {
        let svg = qr_svg("http://192.168.1.20:8080/speeches/x").unwrap();
        assert!(svg.starts_with("<?xml") && svg.contains("<svg") && svg.ends_with("</svg>"));
        assert!(qr_text("http://192.168.1.20:8080/").unwrap().contains('█'));
    }
}
