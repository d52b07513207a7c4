# Golden results from R's `survey` for analysis.estimation.crosstab (two-way tables, Rao-Scott tests).
#
# Run from the repository root (standalone, or sourced by make_golden.R):
#   Rscript tests/golden/golden_crosstab.R
# Reads the committed tests/golden/{apistrat,apiclus1,seoul_sample}.csv and writes
#   tests/golden/crosstab_goldens.csv
# one row per case x row level x column level: `estimate` and `se` (NA where none).
# A case is `dataset:statistic:row+col`, statistic one of
#   total     svytotal(~interaction(row, col), na.rm=TRUE)  (equals svytable's cells)
#   cell      svymean(~interaction(row, col), na.rm=TRUE)   (cell proportions)
#   row       svyby(~col, ~row, svymean, na.rm=TRUE)        (row proportions)
#   col       svyby(~row, ~col, svymean, na.rm=TRUE)        (column proportions)
#   F         svychisq(~row+col, statistic="F"): col_level statistic/ndf/ddf/p_value
#   Chisq     svychisq(~row+col, statistic="Chisq"): statistic (Pearson X2 on the table
#             scaled to nrow(data)), statistic_adjusted (X2 / mean eigenvalue, = F * df),
#             df, p_value
# Factors are made on the whole sample first, so every domain reports every level.
# Everything runs inside local() so sourcing it leaves the caller's variables alone.

local({
  suppressPackageStartupMessages(library(survey))
  old <- options(survey.lonely.psu = "fail")
  on.exit(options(old))
  golden <- file.path("tests", "golden")
  read_back <- function(name) read.csv(file.path(golden, name), stringsAsFactors = FALSE)
  designs <- list(
    apistrat = svydesign(id = ~1, strata = ~stype, weights = ~pw, fpc = ~fpc, data = read_back("apistrat.csv")),
    apiclus1 = svydesign(id = ~dnum, weights = ~pw, fpc = ~fpc, data = read_back("apiclus1.csv")),
    seoul = svydesign(id = ~psu, strata = ~district, weights = ~weight, data = read_back("seoul_sample.csv"))
  )
  tables <- list(
    seoul = list(c("sex", "satisfied"), c("age_group", "trust"), c("trust", "satisfied")),
    apistrat = list(c("stype", "sch_wide"), c("stype", "api99_band")),
    apiclus1 = list(c("stype", "awards"), c("api99_band", "sch_wide"))
  )

  out <- list()
  add <- function(case, row_level, col_level, estimate, se = NA) {
    out[[length(out) + 1]] <<- data.frame(
      case = case, row_level = as.character(row_level), col_level = as.character(col_level),
      estimate = as.vector(estimate), se = as.vector(se), stringsAsFactors = FALSE)
  }
  # svyby result -> long rows: by level x statistic level ("factor(x)3" -> "3").
  by_rows <- function(case, res, by, var, by_is_row) {
    est <- matrix(coef(res), nrow = nrow(res))
    se <- as.matrix(SE(res))
    levs <- sub(paste0("^", var), "", attr(res, "svyby")$variables)
    dom <- as.character(res[[by]])
    d <- rep(dom, times = length(levs))
    l <- rep(levs, each = length(dom))
    if (by_is_row) add(case, d, l, est, se) else add(case, l, d, est, se)
  }

  for (name in names(tables)) {
    des <- designs[[name]]
    for (pair in tables[[name]]) {
      r <- pair[1]; cl <- pair[2]
      key <- paste(r, cl, sep = "+")
      case <- function(stat) paste(name, stat, key, sep = ":")
      d <- des
      d$variables[[r]] <- factor(d$variables[[r]])
      d$variables[[cl]] <- factor(d$variables[[cl]])
      d$variables$.cell <- interaction(d$variables[[r]], d$variables[[cl]], sep = "\r")
      cells <- strsplit(levels(d$variables$.cell), "\r", fixed = TRUE)
      cell_row <- vapply(cells, `[`, "", 1)
      cell_col <- vapply(cells, `[`, "", 2)

      tot <- svytotal(~.cell, d, na.rm = TRUE)
      tab <- svytable(as.formula(paste0("~", r, "+", cl)), d)
      stopifnot(isTRUE(all.equal(as.vector(tab), as.vector(coef(tot)), tolerance = 1e-12)))
      add(case("total"), cell_row, cell_col, coef(tot), SE(tot))
      cel <- svymean(~.cell, d, na.rm = TRUE)
      add(case("cell"), cell_row, cell_col, coef(cel), SE(cel))

      rowp <- svyby(as.formula(paste0("~", cl)), as.formula(paste0("~", r)), d, svymean,
                    na.rm = TRUE, na.rm.by = TRUE)
      by_rows(case("row"), rowp, r, cl, TRUE)
      colp <- svyby(as.formula(paste0("~", r)), as.formula(paste0("~", cl)), d, svymean,
                    na.rm = TRUE, na.rm.by = TRUE)
      by_rows(case("col"), colp, cl, r, FALSE)

      f <- as.formula(paste0("~", r, "+", cl))
      tf <- svychisq(f, d, statistic = "F")
      add(case("F"), "", c("statistic", "ndf", "ddf", "p_value"),
          c(tf$statistic, tf$parameter[["ndf"]], tf$parameter[["ddf"]], tf$p.value))
      tc <- svychisq(f, d, statistic = "Chisq")
      df <- tc$parameter[["df"]]
      add(case("Chisq"), "", c("statistic", "statistic_adjusted", "df", "p_value"),
          c(tc$statistic, tf$statistic * df, df, tc$p.value))
    }
  }
  res <- do.call(rbind, out)
  for (k in c("estimate", "se")) res[[k]] <- ifelse(is.na(res[[k]]), NA, sprintf("%.17g", res[[k]]))
  write.csv(res, file.path(golden, "crosstab_goldens.csv"), row.names = FALSE, na = "")
  message("crosstab_goldens.csv: ", nrow(res), " rows")
})
