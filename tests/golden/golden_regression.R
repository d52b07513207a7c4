# Golden results from R's `survey::svyglm` for analysis.estimation.regression.
#
# Run from the repository root, alone or sourced by make_golden.R:
#   Rscript tests/golden/golden_regression.R
# Needs Debian's r-base-core and r-cran-survey (made with R 4.2.2, survey 4.1-1). Reads the
# committed tests/golden/{seoul_sample,apistrat,apiclus1,apiclus2}.csv and writes
#   tests/golden/regression_goldens.csv  one row per (case, term)
# Columns: case, dataset, family, formula, subset, n, term, estimate, se, t, p, ci_low,
# ci_high, df — coef / SE / t / p from summary.svyglm, the interval from confint.svyglm
# (Wald, t quantile with df.residual), df = df.residual = degf(design) + 1 - #coefficients,
# n = nobs (units with non-zero weight in the fit). A `subset` is R's design[subset, ]
# (a domain: out-of-domain PSUs still count in the variance).
# Everything runs inside local() so sourcing it leaves the caller's variables alone.

local({
  suppressPackageStartupMessages(library(survey))
  old <- options(survey.lonely.psu = "fail")
  golden <- file.path("tests", "golden")
  if (!dir.exists(golden)) stop("run from the repository root (tests/golden not found)")

  fmt <- function(d) {
    for (k in names(d)) if (is.double(d[[k]])) d[[k]] <- ifelse(is.na(d[[k]]), NA, sprintf("%.17g", d[[k]]))
    d
  }
  read_back <- function(name) read.csv(file.path(golden, name), stringsAsFactors = FALSE)
  designs <- list(
    apistrat = svydesign(id = ~1, strata = ~stype, weights = ~pw, fpc = ~fpc, data = read_back("apistrat.csv")),
    apiclus1 = svydesign(id = ~dnum, weights = ~pw, fpc = ~fpc, data = read_back("apiclus1.csv")),
    apiclus2 = svydesign(id = ~dnum + snum, weights = ~pw, data = read_back("apiclus2.csv")),
    seoul = svydesign(id = ~psu, strata = ~district, weights = ~weight, data = read_back("seoul_sample.csv"))
  )
  # case = list(dataset, family, formula, subset expression or "")
  cases <- list(
    seoul_gaussian = list("seoul", "gaussian", "happiness ~ income + factor(sex) + factor(age_group)", ""),
    seoul_quasibinomial = list("seoul", "quasibinomial", "satisfied ~ factor(age_group) + household_size", ""),
    seoul_gaussian_interaction = list("seoul", "gaussian", "happiness ~ income * factor(sex) + household_size", ""),
    seoul_gaussian_domain = list("seoul", "gaussian", "happiness ~ income + factor(age_group)", "sex == 2"),
    seoul_quasibinomial_domain = list("seoul", "quasibinomial", "satisfied ~ income + factor(trust)", "age_group >= 5"),
    apistrat_gaussian = list("apistrat", "gaussian", "api00 ~ api99 + enroll", ""),
    apistrat_gaussian_domain = list("apistrat", "gaussian", "api00 ~ api99 + enroll", "awards == \"Yes\""),
    apistrat_quasibinomial = list("apistrat", "quasibinomial", "sch_wide ~ api99 + factor(stype)", ""),
    apiclus1_quasibinomial = list("apiclus1", "quasibinomial", "sch_wide ~ api99", ""),
    apiclus1_gaussian = list("apiclus1", "gaussian", "api00 ~ api99 + factor(stype) + api_stu", ""),
    apiclus2_gaussian = list("apiclus2", "gaussian", "api00 ~ api99 + factor(stype)", "")
  )

  rows <- list()
  for (case in names(cases)) {
    spec <- cases[[case]]
    des <- designs[[spec[[1]]]]
    if (nzchar(spec[[4]])) des <- des[eval(parse(text = spec[[4]]), des$variables), ]
    family <- switch(spec[[2]], gaussian = gaussian(), quasibinomial = quasibinomial())
    fit <- svyglm(as.formula(spec[[3]]), design = des, family = family)
    tab <- coef(summary(fit))
    ci <- confint(fit)
    rows[[case]] <- data.frame(
      case = case, dataset = spec[[1]], family = spec[[2]], formula = spec[[3]], subset = spec[[4]],
      n = sum(fit$prior.weights > 0), term = rownames(tab), estimate = tab[, 1], se = tab[, 2],
      t = tab[, 3], p = tab[, 4], ci_low = ci[, 1], ci_high = ci[, 2], df = fit$df.residual,
      stringsAsFactors = FALSE
    )
  }
  out <- do.call(rbind, rows)
  write.csv(fmt(out), file.path(golden, "regression_goldens.csv"), row.names = FALSE, na = "")
  message("wrote ", nrow(out), " rows to ", file.path(golden, "regression_goldens.csv"))
  options(old)
  invisible(NULL)
})
