//! The limits as an extension, for the WebSocket transport.

use std::sync::Arc;

use async_graphql::{
    Request, ServerResult,
    extensions::{Extension, ExtensionContext, ExtensionFactory, NextPrepareRequest},
};

use super::{Checks, prepare};
use crate::persisted::Documents;

/// The same checks as an extension, for the WebSocket transport, whose protocol library
/// reads each message and runs it itself. With documents, the manifest's operations run by
/// hash first, and in `only` mode nothing else ([`Documents::from_manifest`]; registration
/// and database lookups are HTTP's).
pub struct Checked(pub Arc<Checks>, pub Option<Arc<Documents>>);

impl ExtensionFactory for Checked {
    fn create(&self) -> Arc<dyn Extension> {
        Arc::new(Checker(self.0.clone(), self.1.clone()))
    }
}

struct Checker(Arc<Checks>, Option<Arc<Documents>>);

#[async_graphql::async_trait::async_trait]
impl Extension for Checker {
    async fn prepare_request(
        &self,
        ctx: &ExtensionContext<'_>,
        mut request: Request,
        next: NextPrepareRequest<'_>,
    ) -> ServerResult<Request> {
        if let Some(documents) = &self.1 {
            documents.from_manifest(&mut request)?;
        }
        prepare(&self.0, &mut request)?;
        next.run(ctx, request).await
    }
}
