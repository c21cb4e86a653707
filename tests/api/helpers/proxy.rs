//! A TCP proxy in front of the test database, to take the database away and bring it back
//! while the server runs.

use std::net::SocketAddr;

use tokio::{
    net::{TcpListener, TcpStream},
    task::{JoinHandle, JoinSet},
};

pub struct Proxy {
    pub addr: SocketAddr,
    target: SocketAddr,
    task: Option<JoinHandle<()>>,
}

impl Proxy {
    /// Forwards a new loopback port to `target`.
    pub async fn start(target: SocketAddr) -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let mut proxy = Self {
            addr,
            target,
            task: None,
        };
        proxy.task = Some(tokio::spawn(serve(listener, target)));
        proxy
    }

    /// Closes the port and cuts every open connection: the database is gone.
    pub async fn stop(&mut self) {
        if let Some(task) = self.task.take() {
            task.abort();
            task.await.ok();
        }
    }

    /// Listens on the same port again.
    pub async fn resume(&mut self) {
        let listener = TcpListener::bind(self.addr).await.unwrap();
        self.task = Some(tokio::spawn(serve(listener, self.target)));
    }
}

async fn serve(listener: TcpListener, target: SocketAddr) {
    // Dropped with this task, aborting every connection it holds.
    let mut connections = JoinSet::new();
    while let Ok((mut inbound, _)) = listener.accept().await {
        connections.spawn(async move {
            if let Ok(mut outbound) = TcpStream::connect(target).await {
                tokio::io::copy_bidirectional(&mut inbound, &mut outbound)
                    .await
                    .ok();
            }
        });
    }
}
