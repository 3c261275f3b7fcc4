//! The list filters' small language (AIP-160, <https://google.aip.dev/160>): terms
//! `field op value` joined by `AND` and `OR` (`OR` binds tighter), with parentheses.
//! Each method checks the fields and operators its reference page allows.

use crate::error::{ApiError, ApiResult};

/// One comparison.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Term {
    /// The field as written (`create_time`, `thread.name`).
    pub field: String,
    /// `=`, `!=`, `<`, `>`, `<=`, `>=` or `:`.
    pub op: String,
    /// The value, unquoted.
    pub value: String,
}

/// A parsed filter.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Expr {
    And(Vec<Expr>),
    Or(Vec<Expr>),
    Term(Term),
}

impl Expr {
    /// Every term, in order.
    pub fn terms(&self) -> Vec<&Term> {
        match self {
            Self::Term(t) => vec![t],
            Self::And(items) | Self::Or(items) => items.iter().flat_map(Self::terms).collect(),
        }
    }

    /// Evaluates with `test` for each term.
    pub fn eval(&self, test: &mut dyn FnMut(&Term) -> bool) -> bool {
        match self {
            Self::Term(t) => test(t),
            Self::And(items) => items.iter().all(|e| e.eval(test)),
            Self::Or(items) => items.iter().any(|e| e.eval(test)),
        }
    }

    /// Whether `OR` appears anywhere.
    pub fn has_or(&self) -> bool {
        match self {
            Self::Term(_) => false,
            Self::Or(_) => true,
            Self::And(items) => items.iter().any(Self::has_or),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Token {
    Open,
    Close,
    Op(String),
    Word(String),
    Quoted(String),
}

fn tokenize(text: &str) -> ApiResult<Vec<Token>> {
    let mut tokens = Vec::new();
    let chars: Vec<char> = text.chars().collect();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        match c {
            c if c.is_whitespace() => i += 1,
            '(' => {
                tokens.push(Token::Open);
                i += 1;
            }
            ')' => {
                tokens.push(Token::Close);
                i += 1;
            }
            '"' => {
                let start = i + 1;
                let end = chars[start..]
                    .iter()
                    .position(|&c| c == '"')
                    .ok_or_else(|| invalid(text, "a quotation mark is not closed"))?;
                tokens.push(Token::Quoted(chars[start..start + end].iter().collect()));
                i = start + end + 1;
            }
            '!' | '<' | '>' | '=' | ':' => {
                let two: String = chars[i..(i + 2).min(chars.len())].iter().collect();
                let op = if ["!=", "<=", ">="].contains(&two.as_str()) {
                    two
                } else if c == '!' {
                    return Err(invalid(text, "`!` must be followed by `=`"));
                } else {
                    c.to_string()
                };
                i += op.len();
                tokens.push(Token::Op(op));
            }
            _ => {
                let start = i;
                while i < chars.len()
                    && !chars[i].is_whitespace()
                    && !"()\"!<>=:".contains(chars[i])
                {
                    i += 1;
                }
                tokens.push(Token::Word(chars[start..i].iter().collect()));
            }
        }
    }
    Ok(tokens)
}

fn invalid(filter: &str, why: &str) -> ApiError {
    ApiError::invalid(format!("Invalid filter '{filter}': {why}."))
}

/// Parses a filter.
pub(crate) fn parse(text: &str) -> ApiResult<Expr> {
    let tokens = tokenize(text)?;
    let mut pos = 0;
    let expr = parse_and(text, &tokens, &mut pos)?;
    if pos != tokens.len() {
        return Err(invalid(
            text,
            "unexpected text after the end of the expression",
        ));
    }
    Ok(expr)
}

fn parse_and(text: &str, tokens: &[Token], pos: &mut usize) -> ApiResult<Expr> {
    let mut items = vec![parse_or(text, tokens, pos)?];
    while matches!(tokens.get(*pos), Some(Token::Word(w)) if w == "AND") {
        *pos += 1;
        items.push(parse_or(text, tokens, pos)?);
    }
    Ok(if items.len() == 1 {
        items.remove(0)
    } else {
        Expr::And(items)
    })
}

fn parse_or(text: &str, tokens: &[Token], pos: &mut usize) -> ApiResult<Expr> {
    let mut items = vec![parse_atom(text, tokens, pos)?];
    while matches!(tokens.get(*pos), Some(Token::Word(w)) if w == "OR") {
        *pos += 1;
        items.push(parse_atom(text, tokens, pos)?);
    }
    Ok(if items.len() == 1 {
        items.remove(0)
    } else {
        Expr::Or(items)
    })
}

fn parse_atom(text: &str, tokens: &[Token], pos: &mut usize) -> ApiResult<Expr> {
    match tokens.get(*pos) {
        Some(Token::Open) => {
            *pos += 1;
            let inner = parse_and(text, tokens, pos)?;
            if tokens.get(*pos) != Some(&Token::Close) {
                return Err(invalid(text, "a parenthesis is not closed"));
            }
            *pos += 1;
            Ok(inner)
        }
        Some(Token::Word(field)) => {
            let Some(Token::Op(op)) = tokens.get(*pos + 1) else {
                return Err(invalid(
                    text,
                    &format!("`{field}` must be followed by an operator"),
                ));
            };
            let value = match tokens.get(*pos + 2) {
                Some(Token::Word(v) | Token::Quoted(v)) => v.clone(),
                _ => return Err(invalid(text, &format!("`{field} {op}` needs a value"))),
            };
            *pos += 3;
            Ok(Expr::Term(Term {
                field: field.clone(),
                op: op.clone(),
                value,
            }))
        }
        _ => Err(invalid(text, "expected a comparison")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_google_examples() {
        let e = parse(
            r#"create_time > "2012-04-21T11:30:00-04:00" AND thread.name = spaces/A/threads/1"#,
        )
        .unwrap();
        assert_eq!(e.terms().len(), 2);
        assert!(!e.has_or());
        let e = parse(
            r#"(emoji.unicode = "🙂" OR emoji.custom_emoji.uid = "x") AND user.name = "users/a""#,
        )
        .unwrap();
        assert!(e.has_or());
        assert_eq!(e.terms()[2].value, "users/a");
        let e = parse(r#"spaceType = "GROUP_CHAT" OR spaceType="DIRECT_MESSAGE""#).unwrap();
        assert!(matches!(e, Expr::Or(ref v) if v.len() == 2));
        for bad in ["create_time >", "(a = b", "a = \"b", "a ! b", "AND"] {
            assert!(parse(bad).is_err(), "{bad}");
        }
    }
}
