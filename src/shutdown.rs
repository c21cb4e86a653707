//! Telling long-lived tasks (WebSocket sockets) that the process is stopping, and waiting a
//! moment for them to say goodbye.

use std::time::Duration;

use tokio_util::{
    sync::CancellationToken,
    task::{TaskTracker, task_tracker::TaskTrackerToken},
};

/// Shared by the server loop and every socket.
#[derive(Clone, Default)]
pub struct Shutdown {
    token: CancellationToken,
    tracker: TaskTracker,
}

impl Shutdown {
    /// Held by a socket while it runs.
    pub fn track(&self) -> TaskTrackerToken {
        self.tracker.token()
    }

    /// Completes when shutdown begins.
    pub async fn begun(&self) {
        self.token.cancelled().await;
    }

    /// Whether shutdown has begun.
    pub fn is_begun(&self) -> bool {
        self.token.is_cancelled()
    }

    /// Starts the shutdown: every socket is told.
    pub fn begin(&self) {
        self.token.cancel();
        self.tracker.close();
    }

    /// Waits up to `limit` for the tracked sockets to finish.
    pub async fn wait(&self, limit: Duration) {
        tokio::time::timeout(limit, self.tracker.wait()).await.ok();
    }
}
