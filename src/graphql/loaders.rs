//! Batched loading for nested fields: one `DataLoader` per request over [`DbLoader`], which
//! each domain teaches to load its keys (`people::loaders`, `mentorship::loaders`). A list of
//! N parents costs one statement per kind of child, never N.
//!
//! A batch is collected until the request has gone quiet (the [`Gate`]), not for a fixed
//! time: on a busy machine a time window splits batches at random, while "every resolver
//! that could ask has asked" is exactly when a batch is complete.

use std::{
    future::Future,
    pin::Pin,
    sync::{
        Arc,
        atomic::{AtomicBool, AtomicUsize, Ordering},
    },
    task::{Context, Poll, Wake, Waker},
    time::Duration,
};

use async_graphql::{
    ErrorExtensions,
    dataloader::{DataLoader, HashMapCache, Loader},
};
use tokio::sync::Notify;

use crate::{
    db::{
        batch::{Children, Sort, count_of_each, first_of_each},
        reader::Reader,
    },
    error::AppError,
};

/// The database side of every loader.
pub struct DbLoader {
    /// The pool, or the request's transaction.
    pub db: Reader,
}

/// The per-request loader (cached for the request: the same key is loaded once).
pub type Loaders = DataLoader<DbLoader, HashMapCache>;

/// A fresh loader for one request, batching on `gate`; at most `connections` of its batches
/// load at once, so one request never holds more than a few pool connections.
pub fn for_request(db: Reader, gate: Gate, connections: usize) -> Loaders {
    let permits = Arc::new(tokio::sync::Semaphore::new(connections.max(1)));
    let spawn = move |load: Pin<Box<dyn Future<Output = ()> + Send>>| {
        let gate = gate.clone();
        let permits = permits.clone();
        tokio::spawn(async move {
            gate.idle().await;
            gate.0.loading.fetch_add(1, Ordering::SeqCst);
            // Never closed, so acquiring only waits.
            let permit = permits.acquire().await;
            load.await;
            drop(permit);
            gate.0.loading.fetch_sub(1, Ordering::SeqCst);
            gate.0.changed.notify_waiters();
        })
    };
    DataLoader::with_cache(DbLoader { db }, spawn, HashMapCache::default()).delay(Duration::ZERO)
}

/// Tells loaders when a request has gone quiet: its resolvers are not being run, nothing
/// has woken them, and no batch of theirs is loading or handing out results. Keys asked for
/// until then belong to one batch.
#[derive(Clone, Default)]
pub struct Gate(Arc<GateInner>);

#[derive(Default)]
struct GateInner {
    /// Passes over the resolvers running now.
    polling: AtomicUsize,
    /// Woken and not yet polled.
    woken: AtomicBool,
    /// Batches loading or delivering.
    loading: AtomicUsize,
    changed: Notify,
}

impl GateInner {
    fn quiet(&self) -> bool {
        self.polling.load(Ordering::SeqCst) == 0
            && !self.woken.load(Ordering::SeqCst)
            && self.loading.load(Ordering::SeqCst) == 0
    }
}

impl Gate {
    /// Runs `future` (the request's execution) under this gate.
    pub fn wrap<F: Future>(&self, future: F) -> Gated<F> {
        Gated {
            inner: Box::pin(future),
            gate: self.clone(),
            waker: None,
        }
    }

    /// Waits until the request is quiet.
    async fn idle(&self) {
        loop {
            let changed = self.0.changed.notified();
            tokio::pin!(changed);
            changed.as_mut().enable();
            if self.0.quiet() {
                return;
            }
            changed.await;
        }
    }
}

/// Records a wake-up before passing it on.
struct TrackingWaker {
    gate: Arc<GateInner>,
    inner: Waker,
}

impl Wake for TrackingWaker {
    fn wake(self: Arc<Self>) {
        self.wake_by_ref();
    }

    fn wake_by_ref(self: &Arc<Self>) {
        self.gate.woken.store(true, Ordering::SeqCst);
        self.inner.wake_by_ref();
    }
}

/// A future polled under a [`Gate`].
pub struct Gated<F: Future> {
    inner: Pin<Box<F>>,
    gate: Gate,
    /// The task's waker and the tracking waker made for it, kept while the task's waker
    /// stays the same: a new waker on every poll made every pending future inside (each
    /// list's `FuturesUnordered`) store it again (2 % of the portal's CPU).
    waker: Option<(Waker, Waker)>,
}

impl<F: Future> Future for Gated<F> {
    type Output = F::Output;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<F::Output> {
        let this = self.get_mut();
        let gate = &this.gate.0;
        gate.polling.fetch_add(1, Ordering::SeqCst);
        gate.woken.store(false, Ordering::SeqCst);
        let tracking = match &this.waker {
            Some((task, tracking)) if task.will_wake(cx.waker()) => tracking,
            _ => {
                let tracking = Waker::from(Arc::new(TrackingWaker {
                    gate: gate.clone(),
                    inner: cx.waker().clone(),
                }));
                &this.waker.insert((cx.waker().clone(), tracking)).1
            }
        };
        let result = this.inner.as_mut().poll(&mut Context::from_waker(tracking));
        gate.polling.fetch_sub(1, Ordering::SeqCst);
        gate.changed.notify_waiters();
        result
    }
}

/// A loader failure, shared by every field that waited for the batch.
#[derive(Clone, Debug)]
pub struct LoadError(pub Arc<AppError>);

impl From<AppError> for LoadError {
    fn from(err: AppError) -> Self {
        Self(Arc::new(err))
    }
}

impl From<LoadError> for async_graphql::Error {
    fn from(err: LoadError) -> Self {
        let message = err.0.message().to_owned();
        let code = err.0.code();
        err.0.log();
        async_graphql::Error::new(message).extend_with(|_, ext| ext.set("code", code))
    }
}

/// Key: (parent, rows wanted, order) → the parent's first children; a page of parents asks
/// in one statement per order ([`first_of_each`]).
pub struct FirstChildren<E>(
    pub uuid::Uuid,
    pub u64,
    pub Sort,
    std::marker::PhantomData<fn() -> E>,
);

/// Key: a parent → how many children it has; a page of parents counts in one statement.
pub struct ChildCount<E>(pub uuid::Uuid, std::marker::PhantomData<fn() -> E>);

impl<E> FirstChildren<E> {
    /// The first `fetch` children of `parent` in `sort`'s order.
    pub fn new(parent: uuid::Uuid, fetch: u64, sort: Sort) -> Self {
        Self(parent, fetch, sort, std::marker::PhantomData)
    }
}

impl<E> ChildCount<E> {
    /// The children of `parent`.
    pub fn new(parent: uuid::Uuid) -> Self {
        Self(parent, std::marker::PhantomData)
    }
}

// Keys compare by their ids only: derives would wrongly require `E` itself to be comparable.
impl<E> Clone for FirstChildren<E> {
    fn clone(&self) -> Self {
        Self::new(self.0, self.1, self.2)
    }
}
impl<E> PartialEq for FirstChildren<E> {
    fn eq(&self, other: &Self) -> bool {
        (self.0, self.1, self.2) == (other.0, other.1, other.2)
    }
}
impl<E> Eq for FirstChildren<E> {}
impl<E> std::hash::Hash for FirstChildren<E> {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        (self.0, self.1, self.2).hash(state);
    }
}
impl<E> Clone for ChildCount<E> {
    fn clone(&self) -> Self {
        Self::new(self.0)
    }
}
impl<E> PartialEq for ChildCount<E> {
    fn eq(&self, other: &Self) -> bool {
        self.0 == other.0
    }
}
impl<E> Eq for ChildCount<E> {}
impl<E> std::hash::Hash for ChildCount<E> {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        self.0.hash(state);
    }
}

impl<E> Loader<FirstChildren<E>> for DbLoader
where
    E: Children,
    E::Model: sea_orm::FromQueryResult + Clone + Send + Sync,
{
    type Value = Vec<E::Model>;
    type Error = LoadError;

    async fn load(
        &self,
        keys: &[FirstChildren<E>],
    ) -> Result<std::collections::HashMap<FirstChildren<E>, Self::Value>, LoadError> {
        let mut found = std::collections::HashMap::with_capacity(keys.len());
        let mut sorts: Vec<Sort> = Vec::with_capacity(1);
        for key in keys {
            if !sorts.contains(&key.2) {
                sorts.push(key.2);
            }
        }
        for sort in sorts {
            let mine: Vec<&FirstChildren<E>> = keys.iter().filter(|k| k.2 == sort).collect();
            let fetch = mine.iter().map(|k| k.1).max().unwrap_or(0);
            let parents: Vec<uuid::Uuid> = mine.iter().map(|k| k.0).collect();
            let rows = first_of_each::<E>(
                &self.db,
                E::parent_column(),
                &parents,
                fetch,
                None,
                (sort, E::decode),
            )
            .await?;
            // Rows arrive grouped by parent, in rank order: moved into place, not cloned.
            let mut by_parent: std::collections::HashMap<uuid::Uuid, (usize, Vec<E::Model>)> =
                std::collections::HashMap::with_capacity(parents.len());
            for parent in &parents {
                by_parent.entry(*parent).or_default().0 += 1;
            }
            for row in rows {
                if let Some((_, mine)) = by_parent.get_mut(&E::parent_of(&row)) {
                    mine.push(row);
                }
            }
            for key in mine {
                let Some((wanted_by, rows)) = by_parent.get_mut(&key.0) else {
                    continue;
                };
                // The last key of a parent takes its rows; another (other size) copies them.
                *wanted_by -= 1;
                let mut rows = if *wanted_by == 0 {
                    std::mem::take(rows)
                } else {
                    rows.clone()
                };
                rows.truncate(key.1 as usize);
                found.insert(key.clone(), rows);
            }
        }
        Ok(found)
    }
}

impl<E: Children> Loader<ChildCount<E>> for DbLoader {
    type Value = u64;
    type Error = LoadError;

    async fn load(
        &self,
        keys: &[ChildCount<E>],
    ) -> Result<std::collections::HashMap<ChildCount<E>, u64>, LoadError> {
        let parents: Vec<uuid::Uuid> = keys.iter().map(|k| k.0).collect();
        let counts = count_of_each::<E>(&self.db, E::parent_column(), &parents, None).await?;
        Ok(keys
            .iter()
            .map(|k| (k.clone(), counts.get(&k.0).copied().unwrap_or(0)))
            .collect())
    }
}
