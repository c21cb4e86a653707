//! Signing keys for the local development issuer and the test issuer: generation (RSA 2048,
//! EC P-256), PKCS#8 PEM round-trip, the public JWK, and signing claims.

use aws_lc_rs::{
    encoding::{AsDer, Pkcs8V1Der},
    rsa::{KeyPair as RsaKeyPair, KeySize},
    signature::{ECDSA_P256_SHA256_FIXED_SIGNING, EcdsaKeyPair},
};
use base64::Engine;
use jsonwebtoken::{
    Algorithm, EncodingKey, Header,
    jwk::{Jwk, PublicKeyUse},
};

/// Why a key could not be made or used.
#[derive(Debug, thiserror::Error)]
#[error("signing key: {0}")]
pub struct SigningError(String);

impl SigningError {
    /// An error with this message.
    pub fn msg(message: &str) -> Self {
        Self(message.to_owned())
    }

    /// A key file that could not be written.
    pub fn from_io(path: &std::path::Path, err: std::io::Error) -> Self {
        Self(format!("{}: {err}", path.display()))
    }
}

fn fail(e: impl std::fmt::Display) -> SigningError {
    SigningError(e.to_string())
}

/// A private key with its `kid`, algorithm and public JWK.
#[derive(Clone)]
pub struct SigningKey {
    kid: String,
    alg: Algorithm,
    pem: String,
    encoding: EncodingKey,
    jwk: Jwk,
}

impl std::fmt::Debug for SigningKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SigningKey")
            .field("kid", &self.kid)
            .field("alg", &self.alg)
            .finish_non_exhaustive()
    }
}

impl SigningKey {
    /// A fresh RSA 2048 key for RS256.
    ///
    /// # Errors
    /// Key generation failed.
    pub fn generate_rsa(kid: &str) -> Result<Self, SigningError> {
        let pair = RsaKeyPair::generate(KeySize::Rsa2048).map_err(fail)?;
        let der: Pkcs8V1Der<'_> = pair.as_der().map_err(fail)?;
        Self::from_pem(kid, Algorithm::RS256, &pem_wrap(der.as_ref()))
    }

    /// A fresh EC P-256 key for ES256.
    ///
    /// # Errors
    /// Key generation failed.
    pub fn generate_ec(kid: &str) -> Result<Self, SigningError> {
        let pair = EcdsaKeyPair::generate(&ECDSA_P256_SHA256_FIXED_SIGNING).map_err(fail)?;
        let der = pair.to_pkcs8v1().map_err(fail)?;
        Self::from_pem(kid, Algorithm::ES256, &pem_wrap(der.as_ref()))
    }

    /// Loads a PKCS#8 PEM private key for `alg` (RS256 or ES256).
    ///
    /// # Errors
    /// The PEM does not hold a key of that family.
    pub fn from_pem(kid: &str, alg: Algorithm, pem: &str) -> Result<Self, SigningError> {
        let encoding = match alg {
            Algorithm::RS256 => EncodingKey::from_rsa_pem(pem.as_bytes()),
            Algorithm::ES256 => EncodingKey::from_ec_pem(pem.as_bytes()),
            other => return Err(fail(format!("unsupported algorithm {other:?}"))),
        }
        .map_err(fail)?;
        let mut jwk = Jwk::from_encoding_key(&encoding, alg).map_err(fail)?;
        jwk.common.key_id = Some(kid.to_owned());
        jwk.common.public_key_use = Some(PublicKeyUse::Signature);
        Ok(Self {
            kid: kid.to_owned(),
            alg,
            pem: pem.to_owned(),
            encoding,
            jwk,
        })
    }

    /// The key id published in the JWKS and put in token headers.
    pub fn kid(&self) -> &str {
        &self.kid
    }

    /// The signature algorithm.
    pub fn alg(&self) -> Algorithm {
        self.alg
    }

    /// The private key as PKCS#8 PEM, to persist the dev issuer's key.
    pub fn to_pem(&self) -> &str {
        &self.pem
    }

    /// The public half, as published in the JWKS.
    pub fn public_jwk(&self) -> &Jwk {
        &self.jwk
    }

    /// Signs `claims` with a header carrying this key's `kid`.
    ///
    /// # Errors
    /// The claims cannot be serialized or signing failed.
    pub fn sign(&self, claims: &serde_json::Value) -> Result<String, SigningError> {
        let mut header = Header::new(self.alg);
        header.kid = Some(self.kid.clone());
        header.typ = Some("JWT".into());
        jsonwebtoken::encode(&header, claims, &self.encoding).map_err(fail)
    }
}

fn pem_wrap(der: &[u8]) -> String {
    let b64 = base64::engine::general_purpose::STANDARD.encode(der);
    let mut pem = String::from("-----BEGIN PRIVATE KEY-----\n");
    for line in b64.as_bytes().chunks(64) {
        pem.push_str(&String::from_utf8_lossy(line));
        pem.push('\n');
    }
    pem.push_str("-----END PRIVATE KEY-----\n");
    pem
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_survive_a_pem_round_trip() {
        for key in [
            SigningKey::generate_rsa("r").unwrap(),
            SigningKey::generate_ec("e").unwrap(),
        ] {
            let again = SigningKey::from_pem(key.kid(), key.alg(), key.to_pem()).unwrap();
            assert_eq!(again.public_jwk(), key.public_jwk());
        }
    }
}
