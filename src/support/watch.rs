//! `supportRequestUpdated`: a request, each time it changes, for as long as the caller may
//! see it.

use tokio::sync::broadcast::error::RecvError;
use uuid::Uuid;

use super::{model::SupportRequest, service};
use crate::{
    error::{AppError, AppResult},
    events::LiveEvent,
    request::RequestCtx,
    state::AppState,
};

/// The request each time it changes (a reply, a status); ends when the caller can no longer
/// see it.
///
/// # Errors
/// NOT_FOUND for a request the caller cannot see (checked before the stream starts).
pub async fn support_request_updates(
    state: &AppState,
    rc: &RequestCtx,
    id: Uuid,
) -> AppResult<impl futures_util::Stream<Item = SupportRequest> + use<>> {
    // Hints from now on, then the request: a change after this read is hinted.
    let mut live = state.events().live();
    let first = service::support_request(state, rc, id).await?;
    let (state, rc) = (state.clone(), rc.clone());
    let mut seen = first.updated_at;
    Ok(async_stream::stream! {
        loop {
            // A hint for this very request means it changed (a reply may not move
            // `updatedAt` on a coarse clock); a general one only if `updatedAt` moved.
            let named = match live.recv().await {
                Ok(LiveEvent::SupportRequest(changed)) if changed == id => true,
                Ok(LiveEvent::SupportRequest(_) | LiveEvent::Inbox(_)) => continue,
                Ok(LiveEvent::Any) | Err(RecvError::Lagged(_)) => false,
                Err(RecvError::Closed) => break,
            };
            match service::support_request(&state, &rc, id).await {
                Ok(current) if named || current.updated_at != seen => {
                    seen = current.updated_at;
                    yield current;
                }
                Ok(_) => {}
                Err(AppError::NotFound(_)) => break,
                Err(err) => err.log(),
            }
        }
    })
}
