//! Hand-made signed requests, to test what the inbox and authorized fetch refuse.

use std::time::SystemTime;

use entrepairs::federation::keys::PrivateKey;
use entrepairs::federation::signatures::sign_request;

use super::TestNode;

/// A request signed by a real local actor of a test node, ready to be altered before sending.
pub struct Signed {
    pub method: &'static str,
    pub url: String,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

fn key_of(actor: &entrepairs::db::ActorRow) -> PrivateKey {
    PrivateKey::from_pkcs8_pem(actor.private_key_pem.as_deref().expect("local key")).expect("key")
}

fn host_and_path(url: &str) -> (String, String) {
    let u = url::Url::parse(url).expect("url");
    let host = match u.port() {
        Some(p) => format!("{}:{p}", u.host_str().expect("host")),
        None => u.host_str().expect("host").to_owned(),
    };
    (host, u.path().to_owned())
}

impl Signed {
    /// A POST of `body` to `url`, signed by `username` of `from` at time `at`.
    pub async fn post(
        from: &TestNode,
        username: &str,
        url: &str,
        body: &[u8],
        at: SystemTime,
    ) -> Signed {
        let actor = from.actor(username).await;
        Signed::post_by(&actor, url, body, at)
    }

    /// A POST of `body` to `url`, signed by any local `actor` (a person or a group).
    pub fn post_by(
        actor: &entrepairs::db::ActorRow,
        url: &str,
        body: &[u8],
        at: SystemTime,
    ) -> Signed {
        let (host, path) = host_and_path(url);
        let s = sign_request(
            "POST",
            &host,
            &path,
            Some(body),
            Some("application/activity+json"),
            &actor.public_key_id,
            &key_of(actor),
            at,
        )
        .expect("sign");
        Signed {
            method: "POST",
            url: url.to_owned(),
            headers: vec![
                ("Host".into(), host),
                ("Date".into(), s.date),
                ("Digest".into(), s.digest.expect("digest")),
                ("Content-Type".into(), "application/activity+json".into()),
                ("Signature".into(), s.signature),
            ],
            body: body.to_vec(),
        }
    }

    /// A GET of `url` signed by the instance actor of `from`.
    pub async fn get(from: &TestNode, url: &str) -> Signed {
        let actor = entrepairs::domain::instance::ensure(&from.state)
            .await
            .expect("instance actor");
        let (host, path) = host_and_path(url);
        let s = sign_request(
            "GET",
            &host,
            &path,
            None,
            None,
            &actor.public_key_id,
            &key_of(&actor),
            SystemTime::now(),
        )
        .expect("sign");
        Signed {
            method: "GET",
            url: url.to_owned(),
            headers: vec![
                ("Host".into(), host),
                ("Date".into(), s.date),
                ("Accept".into(), "application/activity+json".into()),
                ("Signature".into(), s.signature),
            ],
            body: Vec::new(),
        }
    }

    pub fn set_header(mut self, name: &str, value: &str) -> Self {
        self.headers.retain(|(n, _)| !n.eq_ignore_ascii_case(name));
        self.headers.push((name.to_owned(), value.to_owned()));
        self
    }

    pub fn without_header(mut self, name: &str) -> Self {
        self.headers.retain(|(n, _)| !n.eq_ignore_ascii_case(name));
        self
    }

    pub async fn send(&self) -> reqwest::Response {
        let client = super::client();
        let mut req = match self.method {
            "GET" => client.get(&self.url),
            _ => client.post(&self.url).body(self.body.clone()),
        };
        for (n, v) in &self.headers {
            req = req.header(n.as_str(), v.as_str());
        }
        req.send().await.expect("send")
    }

    pub async fn status(&self) -> u16 {
        self.send().await.status().as_u16()
    }
}

impl Signed {
    /// The same request with its Signature header removed.
    pub fn clone_without_signature(&self) -> Signed {
        Signed {
            method: self.method,
            url: self.url.clone(),
            headers: self
                .headers
                .iter()
                .filter(|(n, _)| !n.eq_ignore_ascii_case("signature"))
                .cloned()
                .collect(),
            body: self.body.clone(),
        }
    }
}

impl Signed {
    /// A POST of `body` to `url`, signed by the instance actor of `from`.
    pub async fn post_as_instance(from: &TestNode, url: &str, body: &[u8]) -> Signed {
        let actor = entrepairs::domain::instance::ensure(&from.state)
            .await
            .expect("instance actor");
        let (host, path) = host_and_path(url);
        let s = sign_request(
            "POST",
            &host,
            &path,
            Some(body),
            Some("application/activity+json"),
            &actor.public_key_id,
            &key_of(&actor),
            SystemTime::now(),
        )
        .expect("sign");
        Signed {
            method: "POST",
            url: url.to_owned(),
            headers: vec![
                ("Host".into(), host),
                ("Date".into(), s.date),
                ("Digest".into(), s.digest.expect("digest")),
                ("Content-Type".into(), "application/activity+json".into()),
                ("Signature".into(), s.signature),
            ],
            body: body.to_vec(),
        }
    }
}
