//! A real SMTP listener on a loopback port, in process: enough of RFC 5321 for lettre
//! (EHLO, MAIL, RCPT, DATA, RSET, NOOP, QUIT), keeping every mail it is given. It can be
//! stopped — connections cut, port closed — and started again on the same port.

use std::{
    net::SocketAddr,
    sync::{Arc, Mutex},
    time::Duration,
};

use tokio::{
    io::{AsyncBufReadExt, AsyncWriteExt, BufReader},
    net::{TcpSocket, TcpStream},
    task::JoinSet,
};

/// One mail as received.
#[derive(Clone, Debug)]
pub struct Received {
    pub to: Vec<String>,
    /// The raw message (headers and body), dot-unstuffed.
    pub data: String,
}

impl Received {
    /// The parsed message.
    pub fn parsed(&self) -> mail_parser::Message<'_> {
        mail_parser::MessageParser::default()
            .parse(self.data.as_bytes())
            .expect("a MIME message")
    }

    /// Subject, plain text and HTML, decoded.
    pub fn decoded(&self) -> (String, String, String) {
        let m = self.parsed();
        (
            m.subject().unwrap_or_default().to_owned(),
            m.body_text(0).map(|t| t.into_owned()).unwrap_or_default(),
            m.body_html(0).map(|t| t.into_owned()).unwrap_or_default(),
        )
    }

    /// A header's value, as text.
    pub fn header(&self, name: &str) -> Option<String> {
        let m = self.parsed();
        m.header_raw(name).map(|v| v.trim().to_owned())
    }
}

/// The listener.
pub struct SmtpSink {
    pub addr: SocketAddr,
    mails: Arc<Mutex<Vec<Received>>>,
    tasks: Option<JoinSet<()>>,
}

impl SmtpSink {
    /// Listens on a free loopback port.
    pub async fn start() -> Self {
        Self::start_on("127.0.0.1:0".parse().unwrap(), Arc::default()).await
    }

    async fn start_on(addr: SocketAddr, mails: Arc<Mutex<Vec<Received>>>) -> Self {
        let socket = TcpSocket::new_v4().unwrap();
        socket.set_reuseaddr(true).unwrap();
        socket.bind(addr).unwrap();
        let listener = socket.listen(64).unwrap();
        let addr = listener.local_addr().unwrap();
        let mut tasks = JoinSet::new();
        let kept = mails.clone();
        let conns = Arc::new(Mutex::new(JoinSet::new()));
        let held = conns.clone();
        tasks.spawn(async move {
            let _held = held;
            loop {
                let Ok((stream, _)) = listener.accept().await else {
                    return;
                };
                let kept = kept.clone();
                conns.lock().unwrap().spawn(async move {
                    serve(stream, kept).await.ok();
                });
            }
        });
        Self {
            addr,
            mails,
            tasks: Some(tasks),
        }
    }

    /// `smtp://127.0.0.1:PORT` (plain: the listener speaks no TLS).
    pub fn url(&self) -> String {
        format!("smtp://{}", self.addr)
    }

    /// Closes the port and cuts every open connection.
    pub async fn stop(&mut self) {
        if let Some(mut tasks) = self.tasks.take() {
            tasks.shutdown().await;
        }
    }

    /// Listens again on the same port, keeping what was received.
    pub async fn restart(&mut self) {
        self.stop().await;
        *self = Self::start_on(self.addr, self.mails.clone()).await;
    }

    /// Every mail so far to addresses ending in `domain` (the test issuer gives everyone
    /// else `rep@example.org`).
    pub fn mails(&self, domain: &str) -> Vec<Received> {
        let mails = self.mails.lock().unwrap().clone();
        mails
            .into_iter()
            .filter(|m| m.to.iter().any(|t| t.ends_with(domain)))
            .collect()
    }

    /// Waits (up to 10 s) until at least `n` mails to `domain` arrived; returns them all.
    pub async fn wait_for(&self, domain: &str, n: usize) -> Vec<Received> {
        for _ in 0..200 {
            let mails = self.mails(domain);
            if mails.len() >= n {
                return mails;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        panic!("expected {n} mail(s), got {}", self.mails(domain).len());
    }

    /// Waits a little and returns what arrived for `domain` (to show nothing more came).
    pub async fn settle(&self, domain: &str) -> Vec<Received> {
        tokio::time::sleep(Duration::from_millis(600)).await;
        self.mails(domain)
    }
}

impl Drop for SmtpSink {
    fn drop(&mut self) {
        if let Some(tasks) = self.tasks.as_mut() {
            tasks.abort_all();
        }
    }
}

async fn serve(stream: TcpStream, mails: Arc<Mutex<Vec<Received>>>) -> std::io::Result<()> {
    let (read, mut write) = stream.into_split();
    let mut lines = BufReader::new(read);
    write.write_all(b"220 sink.test ESMTP\r\n").await?;
    let mut to = Vec::new();
    let mut line = String::new();
    loop {
        line.clear();
        if lines.read_line(&mut line).await? == 0 {
            return Ok(());
        }
        let verb = line.get(..4).unwrap_or_default().to_ascii_uppercase();
        let reply: &[u8] = match verb.as_str() {
            "EHLO" => b"250-sink.test\r\n250-8BITMIME\r\n250 SMTPUTF8\r\n",
            "HELO" | "MAIL" | "NOOP" => b"250 OK\r\n",
            "RSET" => {
                to.clear();
                b"250 OK\r\n"
            }
            "RCPT" => {
                let addr = line.trim_end();
                let addr = addr[addr.find('<').map_or(0, |i| i + 1)..].trim_end_matches('>');
                if addr.starts_with("reject@") {
                    b"550 5.1.1 no such mailbox\r\n"
                } else {
                    to.push(addr.to_owned());
                    b"250 OK\r\n"
                }
            }
            "DATA" => {
                write.write_all(b"354 go ahead\r\n").await?;
                let mut data = String::new();
                loop {
                    line.clear();
                    if lines.read_line(&mut line).await? == 0 {
                        return Ok(());
                    }
                    if line == ".\r\n" || line == ".\n" {
                        break;
                    }
                    data.push_str(line.strip_prefix('.').unwrap_or(&line));
                }
                mails.lock().unwrap().push(Received {
                    to: std::mem::take(&mut to),
                    data,
                });
                b"250 queued\r\n"
            }
            "QUIT" => {
                write.write_all(b"221 bye\r\n").await?;
                return Ok(());
            }
            _ => b"502 not implemented\r\n",
        };
        write.write_all(reply).await?;
    }
}
