# Golden results from R's `survey` for analysis.estimation.replicates and analysis.estimation.quantiles.
#
# Regenerate by hand from the repository root (CI does not need R; ~20 s):
#   Rscript tests/golden/make_golden.R              # first, if the api CSVs must change
#   Rscript tests/golden/make_golden_replicates.R
#   .venv/bin/python -m pytest tests/analysis -q
# Needs Debian's r-base-core and r-cran-survey (made with R 4.2.2, survey 4.1-1).
# Reads tests/golden/{apistrat,apiclus1,seoul_sample}.csv and writes
#   tests/golden/replicate_goldens.csv   replicate-weight designs (JK1, JKn, bootstrap,
#                                        subbootstrap, BRR, Fay, JKn with mse=TRUE)
#   tests/golden/quantile_goldens.csv    svyquantile (Woodruff, qrule="math") overall and svyby
#   tests/golden/bootstrap_weights_*.csv bootstrap replicate multipliers (random: exported so
#                                        Python can recompute R's SEs from the same weights)
# Doubles are written with 17 significant digits so they round-trip exactly.
#
# replicate_goldens.csv: one row per case x domain x level; a case is
# `design:statistic:variable[:by]`. Statistics: mean, total, ratio (variable num/den),
# proportion (factor api99_band), degf, scale, rscales (domain = replicate number), and
# weights (domain = row number, level = replicate number: the replicate *multipliers*
# for the deterministic JK1 (apiclus1) and pairs JKn/BRR/Fay weights). All with na.rm=TRUE, deff=TRUE.
#
# The "pairs" design: apistrat, strata = stype x api99_band, keeping strata with at least
# two schools and in each the two schools with the smallest cds (as strings); id=~cds,
# weights=~pw, no fpc. Python builds the same subset (tests/analysis/test_replicates.py).

suppressPackageStartupMessages(library(survey))
options(survey.lonely.psu = "fail")
golden <- file.path("tests", "golden")
fmt_frame <- function(d) {
  for (k in names(d)) if (is.double(d[[k]])) d[[k]] <- ifelse(is.na(d[[k]]), NA, sprintf("%.17g", d[[k]]))
  d
}
write_golden <- function(d, name) write.csv(fmt_frame(d), file.path(golden, name), row.names = FALSE, na = "")
read_back <- function(name) read.csv(file.path(golden, name), stringsAsFactors = FALSE,
                                     colClasses = c(cds = "character"))

strat <- read_back("apistrat.csv")
clus1 <- read_back("apiclus1.csv")
strat$api99_band_f <- factor(strat$api99_band)
clus1$api99_band_f <- factor(clus1$api99_band)
strat_des <- svydesign(id = ~1, strata = ~stype, weights = ~pw, fpc = ~fpc, data = strat)
clus1_des <- svydesign(id = ~dnum, weights = ~pw, fpc = ~fpc, data = clus1)

pairs <- strat[order(strat$cds), ]
pairs$pair_stratum <- paste(pairs$stype, pairs$api99_band, sep = "_")
pairs <- pairs[ave(seq_len(nrow(pairs)), pairs$pair_stratum, FUN = seq_along) <= 2, ]
pairs <- pairs[ave(seq_len(nrow(pairs)), pairs$pair_stratum, FUN = length) == 2, ]
pairs_des <- svydesign(id = ~cds, strata = ~pair_stratum, weights = ~pw, data = pairs)

set.seed(20240601)
designs <- list(
  jk1_apiclus1 = list(as.svrepdesign(clus1_des, type = "JK1"), "stype"),
  jkn_apistrat = list(as.svrepdesign(strat_des, type = "JKn"), "awards"),
  jknmse_apistrat = list(as.svrepdesign(strat_des, type = "JKn", mse = TRUE), "awards"),
  boot_apistrat = list(as.svrepdesign(strat_des, type = "bootstrap", replicates = 20), "awards"),
  subboot_apiclus1 = list(as.svrepdesign(clus1_des, type = "subbootstrap", replicates = 20), "stype"),
  jkn_pairs = list(as.svrepdesign(pairs_des, type = "JKn"), "stype"),
  brr_pairs = list(as.svrepdesign(pairs_des, type = "BRR"), "stype"),
  fay_pairs = list(as.svrepdesign(pairs_des, type = "Fay", fay.rho = 0.3), "stype")
)

rows <- list()
add <- function(case, domain, level, estimate, se = NA, deff = NA) {
  rows[[length(rows) + 1]] <<- data.frame(
    case = case, domain = as.character(domain), level = as.character(level),
    estimate = as.vector(estimate), se = as.vector(se), deff = as.vector(deff),
    stringsAsFactors = FALSE)
}
multipliers <- function(des) {
  rw <- des$repweights
  if (inherits(rw, "repweights_compressed")) rw$weights[rw$index, , drop = FALSE] else as.matrix(rw)
}

for (name in names(designs)) {
  des <- designs[[name]][[1]]
  by <- designs[[name]][[2]]
  bf <- as.formula(paste0("~", by))
  add(paste(name, "degf", sep = ":"), "", "", degf(des))
  add(paste(name, "scale", sep = ":"), "", "", des$scale)
  add(paste(name, "rscales", sep = ":"), seq_along(des$rscales), "", des$rscales)
  m <- multipliers(des)
  if (grepl("boot", name)) {
    write_golden(as.data.frame(m), paste0("bootstrap_weights_", name, ".csv"))
  } else if (length(m) <= 5000) {  # not the 200 x 200 JKn apistrat ones: SEs pin those
    add(paste(name, "weights", sep = ":"), rep(seq_len(nrow(m)), ncol(m)),
        rep(seq_len(ncol(m)), each = nrow(m)), as.vector(m))
  }
  for (stat in c("mean", "total")) {
    FUN <- get(paste0("svy", stat))
    for (v in c("api00", "enroll")) {
      f <- as.formula(paste0("~", v))
      r <- FUN(f, des, na.rm = TRUE, deff = TRUE)
      add(paste(name, stat, v, sep = ":"), "", "", coef(r), SE(r), deff(r))
      rb <- svyby(f, bf, des, FUN, na.rm = TRUE, deff = TRUE)
      add(paste(name, stat, v, by, sep = ":"), rb[[by]], "", coef(rb), SE(rb), deff(rb))
    }
  }
  r <- svymean(~api99_band_f, des, na.rm = TRUE, deff = TRUE)
  add(paste(name, "proportion", "api99_band", sep = ":"), "", sub("api99_band_f", "", names(coef(r))),
      coef(r), SE(r), deff(r))
  rb <- svyby(~api99_band_f, bf, des, svymean, na.rm = TRUE, deff = TRUE)
  nl <- nlevels(des$variables$api99_band_f)
  add(paste(name, "proportion", "api99_band", by, sep = ":"), rep(rb[[by]], nl),
      rep(levels(des$variables$api99_band_f), each = nrow(rb)),
      as.matrix(coef(rb)), as.matrix(SE(rb)), as.matrix(deff(rb)))
  # No deff: svyratio.svyrep.design(deff = TRUE) fails in survey 4.1-1 (rval[i, j] on a list).
  r <- svyratio(~api_stu, ~enroll, des, na.rm = TRUE)
  add(paste(name, "ratio", "api_stu/enroll", sep = ":"), "", "", coef(r), SE(r))
  rb <- svyby(~api_stu, bf, des, svyratio, denominator = ~enroll, na.rm = TRUE)
  add(paste(name, "ratio", "api_stu/enroll", by, sep = ":"), rb[[by]], "", coef(rb), SE(rb))
}
goldens <- do.call(rbind, rows)
write_golden(goldens, "replicate_goldens.csv")

# ---- quantiles: svyquantile, Woodruff intervals, qrule="math", interval.type="mean" ----
seoul <- read.csv(file.path(golden, "seoul_sample.csv"))
qdesigns <- list(
  apistrat = list(strat_des, c("api00", "enroll"), "stype"),
  apiclus1 = list(clus1_des, c("api00"), "stype"),
  seoul = list(svydesign(id = ~psu, strata = ~district, weights = ~weight, data = seoul),
               c("happiness", "income"), "sex")
)
probs <- c(0.25, 0.5, 0.9)
qrows <- list()
qadd <- function(case, ci, domain, p, est, se, lo, hi) {
  qrows[[length(qrows) + 1]] <<- data.frame(
    case = case, ci = ci, domain = as.character(domain), level = p, estimate = as.vector(est),
    se = as.vector(se), ci_low = as.vector(lo), ci_high = as.vector(hi), stringsAsFactors = FALSE)
}
for (name in names(qdesigns)) {
  des <- qdesigns[[name]][[1]]
  by <- qdesigns[[name]][[3]]
  for (v in qdesigns[[name]][[2]]) {
    f <- as.formula(paste0("~", v))
    for (ci in c("t", "normal")) {
      df <- if (ci == "t") NULL else Inf  # R's default is df = degf(design): t intervals
      q <- svyquantile(f, des, quantiles = probs, ci = TRUE, se = TRUE, na.rm = TRUE, df = df)[[1]]
      qadd(paste(name, v, sep = ":"), ci, "", probs, q[, 1], q[, 4], q[, 2], q[, 3])
      for (p in probs) {
        rb <- svyby(f, as.formula(paste0("~", by)), des, svyquantile, quantiles = p, ci = TRUE,
                    na.rm = TRUE, df = df, vartype = c("se", "ci"))
        qadd(paste(name, v, by, sep = ":"), ci, rb[[by]], p, coef(rb), SE(rb), rb$ci_l, rb$ci_u)
      }
    }
  }
}
write_golden(do.call(rbind, qrows), "quantile_goldens.csv")
cat("wrote", nrow(goldens), "replicate rows and", length(qrows), "quantile tables with survey",
    as.character(packageVersion("survey")), "\n")
