//! When a letter that could not be sent is tried again.

use chrono::TimeDelta;

/// The waits after the 1st, 2nd, … failed try; after the last, the letter is given up (the
/// history says so, and the operator can send it again).
const WAITS_MINUTES: [i64; 5] = [1, 5, 15, 60, 240];

/// The wait before the next try after `tries` failed ones; `None`: give up (the server refused
/// the letter for good, or every wait has passed).
pub fn next_try(tries: u32, permanent: bool) -> Option<TimeDelta> {
    if permanent {
        return None;
    }
    let index = usize::try_from(tries).ok()?.checked_sub(1)?;
    WAITS_MINUTES.get(index).map(|m| TimeDelta::minutes(*m))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_failed_letter_is_tried_five_more_times_ever_later_then_given_up() {
        let waits: Vec<_> = (1..=6).map(|t| next_try(t, false)).collect();
        assert_eq!(
            waits,
            [1, 5, 15, 60, 240]
                .map(|m| Some(TimeDelta::minutes(m)))
                .into_iter()
                .chain([None])
                .collect::<Vec<_>>()
        );
    }

    #[test]
    fn a_letter_refused_for_good_is_not_tried_again() {
        assert_eq!(next_try(1, true), None);
    }
}
