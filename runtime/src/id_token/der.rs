//! The few DER structures a key set needs, read (and, for [`Signer`](super::Signer)'s
//! self-signed certificates, written) by hand: an X.509 certificate down to its
//! SubjectPublicKeyInfo (RFC 5280 §4.1), and an RSA public key (RFC 8017 §A.1.1).
//!
//! Why by hand: the certificates Google serves are only a wrapper around the key (Google's
//! own libraries use them that way: the signature of the certificate is not checked, the
//! key is what matters), and the walk is ~100 lines, where an X.509 crate would add
//! several crates to every verifier's build. Every length is bounds-checked; anything
//! unexpected is an error, never a panic.

/// Why a DER structure could not be read (no input is quoted: it is key material).
pub(crate) type DerError = &'static str;

/// ASN.1 tags used here.
const SEQUENCE: u8 = 0x30;
const INTEGER: u8 = 0x02;
const BIT_STRING: u8 = 0x03;
const NULL: u8 = 0x05;
const OID: u8 = 0x06;
/// `[0] EXPLICIT` (the certificate's version).
const CONTEXT_0: u8 = 0xa0;

/// `rsaEncryption`, 1.2.840.113549.1.1.1, as DER content.
const RSA_ENCRYPTION: &[u8] = &[0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x01];
/// `sha256WithRSAEncryption`, 1.2.840.113549.1.1.11, as DER content.
const SHA256_WITH_RSA: &[u8] = &[0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x0b];

/// A cursor over DER bytes.
struct Reader<'a> {
    rest: &'a [u8],
}

impl<'a> Reader<'a> {
    fn new(bytes: &'a [u8]) -> Self {
        Self { rest: bytes }
    }

    /// Reads one element: its tag, its content, and the whole element's bytes.
    fn element(&mut self) -> Result<(u8, &'a [u8], &'a [u8]), DerError> {
        let all = self.rest;
        let (&tag, rest) = all.split_first().ok_or("DER ends early")?;
        let (&first, mut rest) = rest.split_first().ok_or("DER ends early")?;
        let len = if first < 0x80 {
            usize::from(first)
        } else {
            let count = usize::from(first & 0x7f);
            if count == 0 || count > 4 {
                return Err("DER length form not allowed");
            }
            if rest.len() < count {
                return Err("DER ends early");
            }
            let (bytes, after) = rest.split_at(count);
            rest = after;
            bytes.iter().fold(0usize, |n, b| (n << 8) | usize::from(*b))
        };
        if rest.len() < len {
            return Err("DER length runs past the end");
        }
        let (content, after) = rest.split_at(len);
        let header = all.len() - rest.len();
        self.rest = after;
        Ok((tag, content, &all[..header + len]))
    }

    /// Reads one element that must have `tag`; returns its content.
    fn expect(&mut self, tag: u8, what: DerError) -> Result<&'a [u8], DerError> {
        match self.element()? {
            (t, content, _) if t == tag => Ok(content),
            _ => Err(what),
        }
    }

    fn is_empty(&self) -> bool {
        self.rest.is_empty()
    }
}

/// The SubjectPublicKeyInfo (whole element) of a DER X.509 certificate.
pub(crate) fn certificate_spki(cert: &[u8]) -> Result<&[u8], DerError> {
    let mut outer = Reader::new(cert);
    let certificate = outer.expect(SEQUENCE, "not an X.509 certificate")?;
    let tbs = Reader::new(certificate).expect(SEQUENCE, "certificate has no tbsCertificate")?;
    let mut tbs = Reader::new(tbs);
    let (mut tag, _, _) = tbs.element()?;
    if tag == CONTEXT_0 {
        // version, then serialNumber
        tag = tbs.element()?.0;
    }
    if tag != INTEGER {
        return Err("certificate has no serial number");
    }
    // signature algorithm, issuer, validity, subject
    for what in [
        "certificate has no signature algorithm",
        "certificate has no issuer",
        "certificate has no validity",
        "certificate has no subject",
    ] {
        tbs.expect(SEQUENCE, what)?;
    }
    match tbs.element()? {
        (SEQUENCE, _, whole) => Ok(whole),
        _ => Err("certificate has no subjectPublicKeyInfo"),
    }
}

/// The modulus and exponent of an RSA SubjectPublicKeyInfo, big-endian, without leading
/// zero bytes.
pub(crate) fn spki_rsa(spki: &[u8]) -> Result<(Vec<u8>, Vec<u8>), DerError> {
    let info = Reader::new(spki).expect(SEQUENCE, "not a SubjectPublicKeyInfo")?;
    let mut info = Reader::new(info);
    let algorithm = info.expect(SEQUENCE, "key has no algorithm")?;
    let oid = Reader::new(algorithm).expect(OID, "key has no algorithm")?;
    if oid != RSA_ENCRYPTION {
        return Err("key is not an RSA key");
    }
    let bits = info.expect(BIT_STRING, "key has no public key bits")?;
    match bits.split_first() {
        Some((0, key)) => rsa_public_key(key),
        _ => Err("key bits are not whole bytes"),
    }
}

/// The modulus and exponent of a PKCS #1 RSAPublicKey.
pub(crate) fn rsa_public_key(der: &[u8]) -> Result<(Vec<u8>, Vec<u8>), DerError> {
    let mut outer = Reader::new(der);
    let key = outer.expect(SEQUENCE, "not an RSA public key")?;
    let mut key = Reader::new(key);
    let n = key.expect(INTEGER, "RSA key has no modulus")?;
    let e = key.expect(INTEGER, "RSA key has no exponent")?;
    if !key.is_empty() || !outer.is_empty() {
        return Err("RSA key has trailing data");
    }
    Ok((unsigned(n).to_vec(), unsigned(e).to_vec()))
}

/// A DER INTEGER's content without the leading zeros that only keep it positive.
pub(crate) fn unsigned(mut bytes: &[u8]) -> &[u8] {
    while let [0, rest @ ..] = bytes {
        bytes = rest;
    }
    bytes
}

/// One DER element.
pub(crate) fn tlv(tag: u8, content: &[u8]) -> Vec<u8> {
    let mut out = vec![tag];
    let len = content.len();
    if len < 0x80 {
        out.push(len as u8);
    } else {
        let bytes = len.to_be_bytes();
        let skip = bytes.iter().take_while(|b| **b == 0).count();
        out.push(0x80 | (bytes.len() - skip) as u8);
        out.extend_from_slice(&bytes[skip..]);
    }
    out.extend_from_slice(content);
    out
}

/// A positive DER INTEGER from big-endian bytes.
fn integer(bytes: &[u8]) -> Vec<u8> {
    let bytes = unsigned(bytes);
    let mut content = Vec::with_capacity(bytes.len() + 1);
    if bytes.first().is_none_or(|b| b & 0x80 != 0) {
        content.push(0);
    }
    content.extend_from_slice(bytes);
    tlv(INTEGER, &content)
}

fn sequence(parts: &[&[u8]]) -> Vec<u8> {
    tlv(SEQUENCE, &parts.concat())
}

/// An RSA SubjectPublicKeyInfo.
pub(crate) fn write_spki(n: &[u8], e: &[u8]) -> Vec<u8> {
    let algorithm = sequence(&[&tlv(OID, RSA_ENCRYPTION), &tlv(NULL, &[])]);
    let key = sequence(&[&integer(n), &integer(e)]);
    let mut bits = vec![0];
    bits.extend_from_slice(&key);
    sequence(&[&algorithm, &tlv(BIT_STRING, &bits)])
}

/// The to-be-signed part of a minimal self-signed certificate for `spki`, with
/// `common_name` as issuer and subject, valid 2000-01-01 to 2099-12-31 (as Google's are
/// self-signed and only carry the key).
pub(crate) fn write_tbs(common_name: &str, spki: &[u8]) -> Vec<u8> {
    const UTF8_STRING: u8 = 0x0c;
    const SET: u8 = 0x31;
    const UTC_TIME: u8 = 0x17;
    const GENERALIZED_TIME: u8 = 0x18;
    // commonName, 2.5.4.3
    let cn = sequence(&[
        &tlv(OID, &[0x55, 0x04, 0x03]),
        &tlv(UTF8_STRING, common_name.as_bytes()),
    ]);
    let name = sequence(&[&tlv(SET, &cn)]);
    let validity = sequence(&[
        &tlv(UTC_TIME, b"000101000000Z"),
        &tlv(GENERALIZED_TIME, b"20991231235959Z"),
    ]);
    sequence(&[
        &tlv(CONTEXT_0, &integer(&[2])),
        &integer(&[1]),
        &sha256_rsa_algorithm(),
        &name,
        &validity,
        &name,
        spki,
    ])
}

/// A certificate from its to-be-signed part and an RS256 signature of it.
pub(crate) fn write_certificate(tbs: &[u8], signature: &[u8]) -> Vec<u8> {
    let mut bits = vec![0];
    bits.extend_from_slice(signature);
    sequence(&[tbs, &sha256_rsa_algorithm(), &tlv(BIT_STRING, &bits)])
}

fn sha256_rsa_algorithm() -> Vec<u8> {
    sequence(&[&tlv(OID, SHA256_WITH_RSA), &tlv(NULL, &[])])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_written_certificate_reads_back() {
        let n = [0x00, 0xc3, 0x01, 0x02, 0x03];
        let spki = write_spki(&n, &[1, 0, 1]);
        let cert = write_certificate(&write_tbs("test", &spki), &[9; 300]);
        let found = certificate_spki(&cert).unwrap();
        assert_eq!(found, &spki[..]);
        assert_eq!(
            spki_rsa(found).unwrap(),
            (vec![0xc3, 1, 2, 3], vec![1, 0, 1])
        );
    }

    #[test]
    fn long_lengths_round_trip() {
        let content = vec![7u8; 70_000];
        let element = tlv(0x04, &content);
        assert_eq!(&element[..5], &[0x04, 0x83, 0x01, 0x11, 0x70]);
        let (tag, read, whole) = Reader::new(&element).element().unwrap();
        assert_eq!(
            (tag, read.len(), whole.len()),
            (0x04, 70_000, element.len())
        );
    }

    #[test]
    fn broken_der_is_an_error_never_a_panic() {
        let spki = write_spki(&[0xc3, 1], &[3]);
        let cert = write_certificate(&write_tbs("t", &spki), &[1; 8]);
        // Every truncation and every single-byte change either reads or errs.
        for end in 0..cert.len() {
            let _ = certificate_spki(&cert[..end]).and_then(spki_rsa);
        }
        for i in 0..cert.len() {
            for value in [0x00, 0x80, 0x84, 0xff] {
                let mut bad = cert.clone();
                bad[i] = value;
                let _ = certificate_spki(&bad).and_then(spki_rsa);
            }
        }
        assert_eq!(
            certificate_spki(&[0x30, 0x80]),
            Err("DER length form not allowed")
        );
        assert_eq!(
            certificate_spki(&[0x30, 0x05, 0x00]),
            Err("DER length runs past the end")
        );
        assert_eq!(certificate_spki(b""), Err("DER ends early"));
        let ec_oid = sequence(&[
            &sequence(&[&tlv(OID, &[0x2a, 0x86, 0x48, 0xce, 0x3d, 0x02, 0x01])]),
            &tlv(BIT_STRING, &[0, 4]),
        ]);
        assert_eq!(spki_rsa(&ec_oid), Err("key is not an RSA key"));
    }
}
