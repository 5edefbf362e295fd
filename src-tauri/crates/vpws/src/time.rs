//! VPWS timestamps. Transaction dates come without an offset and are Turkish local time
//! (Europe/Istanbul); the token `expiry` carries `Z`. Both are kept as an instant with offset.

use chrono::{DateTime, Datelike, FixedOffset, NaiveDateTime, TimeZone, Utc};
use chrono_tz::Europe::Istanbul;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct VpwsDateTime(DateTime<FixedOffset>);

impl VpwsDateTime {
    /// Parses ISO 8601 with or without offset; without one, the time is Istanbul local time.
    /// Only years 1970–9999: VPWS has no others, before 1910 Istanbul's offset had seconds
    /// (+01:56:56) and past 9999 a year has five digits, neither of which RFC 3339 text carries.
    pub fn parse(text: &str) -> Result<Self, String> {
        let text = text.trim();
        let parsed = match DateTime::parse_from_rfc3339(text) {
            Ok(with_offset) => Self(with_offset),
            Err(_) => {
                let naive = [
                    "%Y-%m-%dT%H:%M:%S%.f",
                    "%Y-%m-%d %H:%M:%S%.f",
                    "%Y-%m-%dT%H:%M",
                ]
                .iter()
                .find_map(|f| NaiveDateTime::parse_from_str(text, f).ok())
                .ok_or_else(|| format!("`{text}` is not an ISO 8601 date-time"))?;
                Self::from_istanbul_local(naive)
                    .ok_or_else(|| format!("`{text}` does not exist in Istanbul"))?
            }
        };
        if !(1970..=9999).contains(&parsed.0.year()) {
            return Err(format!("`{text}` is outside the years of VPWS"));
        }
        Ok(parsed)
    }

    pub fn from_istanbul_local(naive: NaiveDateTime) -> Option<Self> {
        let local = Istanbul.from_local_datetime(&naive).earliest()?;
        Some(Self(local.fixed_offset()))
    }

    pub fn utc(&self) -> DateTime<Utc> {
        self.0.with_timezone(&Utc)
    }

    pub fn istanbul(&self) -> DateTime<chrono_tz::Tz> {
        self.0.with_timezone(&Istanbul)
    }

    pub fn as_fixed(&self) -> DateTime<FixedOffset> {
        self.0
    }
}

impl From<DateTime<Utc>> for VpwsDateTime {
    fn from(value: DateTime<Utc>) -> Self {
        Self(value.fixed_offset())
    }
}

impl std::fmt::Display for VpwsDateTime {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0.to_rfc3339())
    }
}

impl Serialize for VpwsDateTime {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.0.to_rfc3339())
    }
}

impl<'de> Deserialize<'de> for VpwsDateTime {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let text = String::deserialize(d)?;
        Self::parse(&text).map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn offsetless_dates_are_istanbul_local_time() {
        let t = VpwsDateTime::parse("2025-10-24T17:23:51.5461093").unwrap();
        assert_eq!(t.utc().to_rfc3339(), "2025-10-24T14:23:51.546109300+00:00");
        assert_eq!(t.istanbul().format("%H:%M").to_string(), "17:23");
    }

    #[test]
    fn utc_expiry_keeps_its_offset() {
        let t = VpwsDateTime::parse("2025-09-18T09:07:17.6884225Z").unwrap();
        assert_eq!(
            t.utc().format("%Y-%m-%d %H:%M:%S").to_string(),
            "2025-09-18 09:07:17"
        );
        assert_eq!(t.istanbul().format("%H:%M").to_string(), "12:07");
    }

    #[test]
    fn before_2016_istanbul_had_daylight_saving() {
        // Turkey used UTC+2/+3 before September 2016; a fixed +3 would be wrong here.
        let winter = VpwsDateTime::parse("2015-01-10T12:00:00").unwrap();
        assert_eq!(winter.utc().format("%H").to_string(), "10");
    }

    /// Found by fuzzing (tests/fuzz, vpws_dates): year 255 parsed and printed with Istanbul's
    /// local mean time offset (+01:56:56), year 122025 with six digits; no RFC 3339 reader (ours
    /// included) accepts either.
    #[test]
    fn a_date_outside_the_years_of_vpws_is_refused_and_every_parsed_date_prints_readably() {
        for text in [
            "255-04-18T09:0",
            "0255-04-18T09:00:00",
            "1850-01-01T00:00:00",
            "+122025-12-24T17:23:5",
        ] {
            assert!(VpwsDateTime::parse(text).is_err(), "{text}");
        }
        for text in [
            "1970-01-01T00:00:00",
            "2025-10-24T17:23:51.5461093",
            "2025-09-18T09:07:17Z",
        ] {
            let parsed = VpwsDateTime::parse(text).unwrap();
            assert_eq!(
                VpwsDateTime::parse(&parsed.to_string()),
                Ok(parsed),
                "{text}"
            );
        }
    }

    #[test]
    fn garbage_is_rejected() {
        assert!(VpwsDateTime::parse("yesterday").is_err());
    }
}
