//! Records: what the journal shows the operator, read and scoped here (the window sends a filter
//! or a range, never a profile or a journal to read): the list and its totals, the report of the
//! active profile, and the CSV written where the operator chose. Each checks who is at the desk
//! first: reads while someone is signed in (or operators off), the CSV of every customer for
//! supervisors and, when the team allows it, back office.

use std::path::PathBuf;

use super::roles::Need;
use super::Desk;
use crate::dto::ExportResult;
use crate::error::{AppError, AppResult, ErrorCode};
use crate::journal::{
    write_csv, CsvFormat, CsvLayout, CsvOptions, CurrencyTotals, ExportInput, Filter, Page,
    PageQuery, Report, ReportRange,
};
use crate::workers::off_the_workers;

impl Desk {
    /// One page of the entries `filter` matches, newest first, and how many match in all.
    pub async fn journal_search(&self, query: PageQuery) -> AppResult<Page> {
        self.allow(Need::Look).await?;
        let PageQuery {
            filter,
            offset,
            limit,
        } = query;
        self.journal.search(&filter, offset, limit).await
    }

    /// What the entries `filter` matches add up to, per currency.
    pub async fn journal_totals(&self, filter: Filter) -> AppResult<Vec<CurrencyTotals>> {
        self.allow(Need::Look).await?;
        self.journal.totals(&filter).await
    }

    /// The active profile's report over `range` (a demo day never mixes with a live one).
    pub async fn journal_report(&self, range: ReportRange) -> AppResult<Report> {
        self.allow(Need::Look).await?;
        let profile_id = self.profiles.active_profile_id();
        self.journal.report(&profile_id, range).await
    }

    /// The account code ("cari kod") given with this customer's latest payment that had one,
    /// found by their e-mail: the payment form fills it in.
    pub async fn known_account_code(&self, email: String) -> AppResult<Option<String>> {
        self.allow(Need::Pay).await?;
        match email.trim() {
            "" => Ok(None),
            email => self.journal.account_code_of(email).await,
        }
    }

    /// Asks the operator where to save (the check that they may export comes first), then
    /// writes exactly the entries the filter matches. `None` when they cancelled.
    pub async fn export_csv(&self, input: ExportInput) -> AppResult<Option<ExportResult>> {
        self.allow(Need::Export).await?;
        let name = format!(
            "dealer-desk-{}.csv",
            chrono::Local::now().format("%Y-%m-%d")
        );
        let Some(path) = self.host.save_path(name).await else {
            return Ok(None);
        };
        let layout = input.layout.unwrap_or_default();
        self.write_csv_file(&input.filter, input.format, layout, path)
            .await
            .map(Some)
    }

    /// Writes exactly the entries `filter` matches to `path`, in the operator's language.
    async fn write_csv_file(
        &self,
        filter: &Filter,
        format: CsvFormat,
        layout: CsvLayout,
        path: PathBuf,
    ) -> AppResult<ExportResult> {
        let entries = self.journal.all(filter).await?;
        let lang = self.profiles.language();
        let value_days = self.profiles.settings().value_days;
        off_the_workers(move || {
            let file = std::fs::File::create(&path).map_err(export_failed)?;
            let options = CsvOptions {
                format,
                layout,
                lang,
                value_days: &value_days,
            };
            let rows = write_csv(&entries, &options, std::io::BufWriter::new(file))?;
            Ok(ExportResult {
                path: path.display().to_string(),
                rows: rows as u32,
            })
        })
        .await
    }
}

fn export_failed(e: impl std::fmt::Display) -> AppError {
    AppError::new(ErrorCode::ExportFailed, e.to_string())
}
