//! A minimal browser: keeps cookies, reads CSRF tokens from forms, posts forms.

use std::collections::BTreeMap;

use reqwest::header;

pub struct Browser {
    base: String,
    client: reqwest::Client,
    cookies: BTreeMap<String, String>,
    /// Sent as `X-Forwarded-For`, as the node's proxy on loopback would.
    forwarded_for: Option<String>,
}

/// A response read whole.
pub struct Page {
    pub status: u16,
    pub location: Option<String>,
    pub body: String,
}

impl Browser {
    pub fn new(base: &str) -> Self {
        Browser {
            base: base.to_owned(),
            client: super::client(),
            cookies: BTreeMap::new(),
            forwarded_for: None,
        }
    }

    /// A browser whose requests reach the node through a proxy on loopback, for the client
    /// address `ip`.
    pub fn behind_proxy(base: &str, ip: &str) -> Self {
        Browser {
            forwarded_for: Some(ip.to_owned()),
            ..Browser::new(base)
        }
    }

    fn with_proxy(&self, req: reqwest::RequestBuilder) -> reqwest::RequestBuilder {
        match &self.forwarded_for {
            Some(ip) => req.header("x-forwarded-for", ip),
            None => req,
        }
    }

    fn cookie_header(&self) -> String {
        self.cookies
            .iter()
            .map(|(k, v)| format!("{k}={v}"))
            .collect::<Vec<_>>()
            .join("; ")
    }

    async fn read(&mut self, res: reqwest::Response) -> Page {
        for v in res.headers().get_all(header::SET_COOKIE) {
            let text = v.to_str().unwrap_or_default();
            let pair = text.split(';').next().unwrap_or_default();
            if let Some((k, v)) = pair.split_once('=') {
                let expired = text.contains("Max-Age=0") || v.is_empty();
                if expired {
                    self.cookies.remove(k.trim());
                } else {
                    self.cookies
                        .insert(k.trim().to_owned(), v.trim().to_owned());
                }
            }
        }
        let status = res.status().as_u16();
        let location = res
            .headers()
            .get(header::LOCATION)
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned);
        let body = res.text().await.unwrap_or_default();
        Page {
            status,
            location,
            body,
        }
    }

    /// The `Cookie` header this browser sends, for a request made with a plain client.
    pub fn cookie_header_for_tests(&self) -> String {
        self.cookie_header()
    }

    pub fn has_cookie(&self, name: &str) -> bool {
        self.cookies.contains_key(name)
    }

    pub async fn get(&mut self, path: &str) -> Page {
        let res = self
            .with_proxy(self.client.get(format!("{}{path}", self.base)))
            .header(header::COOKIE, self.cookie_header())
            .header(header::ACCEPT, "text/html")
            .send()
            .await
            .expect("GET");
        self.read(res).await
    }

    /// Posts a form as is (no CSRF token added).
    pub async fn post_raw(
        &mut self,
        path: &str,
        fields: &[(&str, &str)],
        origin: Option<&str>,
    ) -> Page {
        let mut req = self
            .with_proxy(self.client.post(format!("{}{path}", self.base)))
            .header(header::COOKIE, self.cookie_header())
            .form(fields);
        if let Some(o) = origin {
            req = req.header(header::ORIGIN, o);
        }
        let res = req.send().await.expect("POST");
        self.read(res).await
    }

    /// Loads `form_page`, takes its CSRF token, and posts it with one file as
    /// `multipart/form-data` (field `file`) to `action`.
    pub async fn upload(
        &mut self,
        form_page: &str,
        action: &str,
        file: &str,
        bytes: &[u8],
    ) -> Page {
        let page = self.get(form_page).await;
        let token = csrf_token(&page.body).expect("the page has a form with a CSRF token");
        let boundary = "entrepairs-test-boundary-7d1f";
        let mut body = format!(
            "--{boundary}\r\nContent-Disposition: form-data; name=\"csrf_token\"\r\n\r\n{token}\r\n\
             --{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{file}\"\r\n\
             Content-Type: application/pdf\r\n\r\n"
        )
        .into_bytes();
        body.extend_from_slice(bytes);
        body.extend_from_slice(format!("\r\n--{boundary}--\r\n").as_bytes());
        let res = self
            .client
            .post(format!("{}{action}", self.base))
            .header(header::COOKIE, self.cookie_header())
            .header(header::ORIGIN, self.base.clone())
            .header(
                header::CONTENT_TYPE,
                format!("multipart/form-data; boundary={boundary}"),
            )
            .body(body)
            .send()
            .await
            .expect("POST");
        self.read(res).await
    }

    /// Loads `form_page`, takes its CSRF token, posts `fields` with it to `action`.
    pub async fn submit(&mut self, form_page: &str, action: &str, fields: &[(&str, &str)]) -> Page {
        let page = self.get(form_page).await;
        let token = csrf_token(&page.body).expect("the page has a form with a CSRF token");
        let mut all: Vec<(&str, &str)> = fields.to_vec();
        all.push(("csrf_token", &token));
        let origin = self.base.clone();
        self.post_raw(action, &all, Some(&origin)).await
    }

    pub async fn login(&mut self, username: &str, password: &str) -> Page {
        let page = self
            .submit(
                "/login",
                "/login",
                &[("username", username), ("password", password)],
            )
            .await;
        assert_eq!(
            page.status, 303,
            "login of {username} should redirect: {}",
            page.body
        );
        page
    }
}

/// The value of the first `csrf_token` hidden field of a page.
pub fn csrf_token(html: &str) -> Option<String> {
    let at = html.find("name=\"csrf_token\" value=\"")?;
    let rest = &html[at + "name=\"csrf_token\" value=\"".len()..];
    Some(rest[..rest.find('"')?].to_owned())
}
