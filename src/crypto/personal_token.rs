//! The format of personal access tokens: `gh_pat_`, 30 random base62 characters (178 bits), then
//! the CRC32 of those 30 characters in 6 base62 digits. The checksum lets a secret scanner tell a
//! Gatehouse token from random text offline, and lets us refuse a mistyped token without a
//! database lookup. Like every secret handed to people, a token is stored only as its SHA-256
//! (`token::hash_token`).

use rand::Rng;

pub const PREFIX: &str = "gh_pat_";
/// The pattern secret scanners look for (published in the README).
pub const PATTERN: &str = "gh_pat_[0-9A-Za-z]{36}";

const RANDOM_CHARS: usize = 30;
const CHECKSUM_CHARS: usize = 6;
const BASE62: &[u8; 62] = b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

/// A new token, shown to its owner once.
pub fn generate() -> String {
    let mut rng = rand::rng();
    let random: String = (0..RANDOM_CHARS)
        .map(|_| char::from(BASE62[rng.random_range(0..BASE62.len())]))
        .collect();
    let checksum = checksum(&random);
    format!("{PREFIX}{random}{checksum}")
}

/// Whether `candidate` has the shape of a token and its checksum matches: false for anything
/// mistyped, truncated or made up, before any database work.
pub fn is_well_formed(candidate: &str) -> bool {
    let Some(rest) = candidate.strip_prefix(PREFIX) else {
        return false;
    };
    if rest.len() != RANDOM_CHARS + CHECKSUM_CHARS || !rest.bytes().all(|b| BASE62.contains(&b)) {
        return false;
    }
    let (random, given) = rest.split_at(RANDOM_CHARS);
    checksum(random) == given
}

/// The CRC32 (IEEE) of the random part in 6 base62 digits, most significant first
/// (62^6 > 2^32, so every CRC fits).
fn checksum(random: &str) -> String {
    let mut value = crc32fast::hash(random.as_bytes());
    let mut digits = [b'0'; CHECKSUM_CHARS];
    for digit in digits.iter_mut().rev() {
        *digit = BASE62[(value % 62) as usize];
        value /= 62;
    }
    digits.iter().map(|&b| char::from(b)).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn new_tokens_have_the_published_shape_and_differ() {
        let tokens: std::collections::HashSet<String> = (0..20).map(|_| generate()).collect();
        assert_eq!(tokens.len(), 20, "no two alike");
        assert!(tokens.iter().all(|token| is_well_formed(token)));
        assert!(tokens.iter().all(|token| token.len() == PREFIX.len() + 36));
    }

    #[test]
    fn the_checksum_is_the_standard_crc32_in_base62() {
        // 0xCBF43926 is CRC-32/IEEE's published check value for "123456789".
        assert_eq!(checksum("123456789"), "3jZRME");
        assert_eq!(checksum(""), "000000");
    }

    #[test]
    fn mistyped_truncated_and_foreign_tokens_are_refused() {
        let token = generate();
        let mut chars: Vec<char> = token.chars().collect();
        let last_random = PREFIX.len() + RANDOM_CHARS - 1;
        chars[last_random] = if chars[last_random] == 'a' { 'b' } else { 'a' };
        let mistyped: String = chars.into_iter().collect();
        assert!(!is_well_formed(&mistyped));
        assert!(!is_well_formed(&token[..token.len() - 1]));
        assert!(!is_well_formed(&token.replacen("gh_pat_", "gh_ct_", 1)));
        assert!(!is_well_formed(&format!("{token}x")));
        assert!(!is_well_formed(&token.replace(&token[10..11], "-")));
    }
}
