//! VPWS timestamps. Transaction dates come without an offset and are Turkish local time
//! (Europe/Istanbul); the token `expiry` carries `Z`. Both are kept as an instant with offset.

use chrono::{DateTime, FixedOffset, NaiveDateTime, TimeZone, Utc};
use chrono_tz::Europe::Istanbul;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct VpwsDateTime(DateTime<FixedOffset>);

impl VpwsDateTime {
    /// Parses ISO 8601 with or without offset; without one, the time is Istanbul local time.
    pub fn parse(text: &str) -> Result<Self, String> {
        let text = text.trim();
        if let Ok(with_offset) = DateTime::parse_from_rfc3339(text) {
            return Ok(Self(with_offset));
        }
        let naive = [
            "%Y-%m-%dT%H:%M:%S%.f",
            "%Y-%m-%d %H:%M:%S%.f",
            "%Y-%m-%dT%H:%M",
        ]
        .iter()
        .find_map(|f| NaiveDateTime::parse_from_str(text, f).ok())
        .ok_or_else(|| format!("`{text}` is not an ISO 8601 date-time"))?;
        Self::from_istanbul_local(naive)
            .ok_or_else(|| format!("`{text}` does not exist in Istanbul"))
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

    #[test]
    fn garbage_is_rejected() {
        assert!(VpwsDateTime::parse("yesterday").is_err());
    }
}
