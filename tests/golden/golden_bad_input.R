# Golden results from R's `survey` for input a statistician should not get a silent wrong
# number from (issue: "Bad input to the statistics").
#
# Run from the repository root (standalone, or sourced by make_golden.R):
#   Rscript tests/golden/golden_bad_input.R
# Reads the committed tests/golden/apistrat.csv and writes tests/golden/bad_input_goldens.csv,
# one row per case x term: `estimate`, `se` (empty: NA/NaN in R) and `outcome` ("ok", or
# "error" when R stops). Cases:
#   unused_level:proportion  svymean(~stype4) with a factor level nobody has (0, SE 0)
#   unused_level:chisq_F     svychisq(~stype4 + sch_wide, "F"): statistic and p are NaN/NA
#   unused_level:chisq_X2    the same with statistic = "Chisq"
#   aliased:svyglm           svyglm(api99 ~ api00 + api00b), api00b = 2 api00: NA coefficient
#   nested:calibrate_linear  calibrate() to districts and a region nested in them (consistent)
#   nested:calibrate_conflict the same with region totals that contradict the districts
# R's svymean of an all-missing outcome prints 0 (SE 0) and svyquantile stops; this project
# returns NA (no SE) for both, as documented in the README — no golden row for those.

local({
  suppressPackageStartupMessages(library(survey))
  golden <- file.path("tests", "golden")
  d <- read.csv(file.path(golden, "apistrat.csv"), stringsAsFactors = FALSE)
  d$stype4 <- factor(d$stype, levels = c("E", "H", "M", "X"))
  d$api00b <- 2 * d$api00
  des <- svydesign(id = ~1, strata = ~stype, weights = ~pw, fpc = ~fpc, data = d)
  out <- list()
  add <- function(case, term, estimate = NA, se = NA, outcome = "ok") {
    out[[length(out) + 1]] <<- data.frame(case = case, term = term, estimate = estimate,
                                          se = se, outcome = outcome)
  }
  m <- svymean(~stype4, des)
  for (k in seq_along(coef(m))) add("unused_level:proportion", levels(d$stype4)[k], coef(m)[[k]], SE(m)[[k]])
  tf <- svychisq(~stype4 + sch_wide, des, statistic = "F")
  add("unused_level:chisq_F", "statistic", tf$statistic)
  add("unused_level:chisq_F", "p_value", tf$p.value)
  tc <- svychisq(~stype4 + sch_wide, des, statistic = "Chisq")
  add("unused_level:chisq_X2", "statistic", tc$statistic)
  add("unused_level:chisq_X2", "p_value", tc$p.value)
  g <- svyglm(api99 ~ api00 + api00b, design = des)
  b <- coef(g)
  s <- sqrt(diag(vcov(g)))
  for (term in c("(Intercept)", "api00", "api00b")) {
    add("aliased:svyglm", term, if (term %in% names(b)) b[[term]] else NA,
        if (term %in% names(s)) s[[term]] else NA)
  }
  d$district <- rep(1:6, length.out = nrow(d))
  d$region <- ifelse(d$district <= 3, 1, 2)
  des2 <- svydesign(id = ~1, weights = ~pw, data = d)
  pop <- function(region2) {
    stats::setNames(c(6000, 1000, 1000, 1000, 1000, 1000, region2),
                    c("(Intercept)", paste0("factor(district)", 2:6), "factor(region)2"))
  }
  for (case in c("nested:calibrate_linear", "nested:calibrate_conflict")) {
    region2 <- if (case == "nested:calibrate_linear") 3000 else 3500
    fit <- try(calibrate(des2, ~factor(district) + factor(region), population = pop(region2)),
               silent = TRUE)
    add(case, "", outcome = if (inherits(fit, "try-error")) "error" else "ok")
  }
  res <- do.call(rbind, out)
  for (k in c("estimate", "se")) {
    res[[k]] <- ifelse(is.na(res[[k]]) | is.nan(res[[k]]), NA, sprintf("%.17g", res[[k]]))
  }
  write.csv(res, file.path(golden, "bad_input_goldens.csv"), row.names = FALSE, na = "")
  message("bad_input_goldens.csv: ", nrow(res), " rows")
})
