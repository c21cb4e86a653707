//! Builders for a small program: people signed in through the API, mentors granted by a
//! council member, mentorships assigned — everything through the real GraphQL surface.

use serde_json::{Value, json};

use super::TestApp;

/// A signed-in person: their token and their id.
#[derive(Clone, Debug)]
pub struct Member {
    pub token: String,
    pub id: String,
}

impl TestApp {
    /// Runs `query` as `who` and returns `data`, failing the test on any error.
    pub async fn ok(&self, who: &Member, query: &str, variables: Value) -> Value {
        let body = self.graphql(&who.token, query, variables).await;
        assert!(body["errors"].is_null(), "unexpected errors: {body}");
        body["data"].clone()
    }

    /// The kinds of `who`'s notifications, newest first.
    pub async fn notification_kinds(&self, who: &Member) -> Vec<String> {
        let data = self
            .ok(
                who,
                "{ myNotifications(first: 100) { edges { node { kind } } } }",
                json!({}),
            )
            .await;
        data["myNotifications"]["edges"]
            .as_array()
            .expect("a list")
            .iter()
            .map(|e| e["node"]["kind"].as_str().expect("a kind").to_owned())
            .collect()
    }

    /// A person with these token roles, created by their first call.
    pub async fn member(&self, roles: &[&str], claims: Value) -> Member {
        let mut builder = self.issuer.token().roles(roles);
        if let Value::Object(extra) = claims {
            for (k, v) in extra {
                builder = builder.claim(&k, v);
            }
        }
        let token = builder.sign();
        let body = self.graphql(&token, "{ me { id } }", json!({})).await;
        let id = body["data"]["me"]["id"]
            .as_str()
            .expect("me works")
            .to_owned();
        Member { token, id }
    }

    /// A rep.
    pub async fn mentee(&self) -> Member {
        self.member(&["mentee"], json!({})).await
    }

    /// A council member.
    pub async fn council(&self) -> Member {
        self.member(&["mentee", "council"], json!({})).await
    }

    /// A mentor with `capacity`, granted by `council` (their token says rep: a token with the
    /// mentor role would bring a profile of its own on first sign-in).
    pub async fn mentor(&self, council: &Member, capacity: i32) -> Member {
        let mentor = self.member(&["mentee"], json!({})).await;
        self.ok(
            council,
            "mutation($id: ID!, $c: Int!) { grantMentorRole(input: {personId: $id, capacity: $c}) { id } }",
            json!({"id": mentor.id, "c": capacity}),
        )
        .await;
        mentor
    }

    /// Assigns `mentor` to `mentee` and returns the mentorship id.
    pub async fn assign(&self, council: &Member, mentee: &Member, mentor: &Member) -> String {
        let data = self
            .ok(
                council,
                "mutation($e: ID!, $r: ID!) { assignMentor(input: {menteeId: $e, mentorId: $r}) { id } }",
                json!({"e": mentee.id, "r": mentor.id}),
            )
            .await;
        data["assignMentor"]["id"].as_str().unwrap().to_owned()
    }

    /// A machine client's token with these scopes.
    pub fn machine_token(&self, scope: &str) -> String {
        self.issuer
            .token()
            .without("roles")
            .claim("azp", json!("council-script"))
            .claim("scope", json!(scope))
            .sign()
    }
}
