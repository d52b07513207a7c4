# Golden results from R's `survey` package for analysis.estimation.design / analysis.estimation.estimators.
#
# Run by hand from the repository root (CI does not need R):
#   Rscript tests/golden/make_golden.R
# Needs Debian's r-base-core and r-cran-survey. It writes
#   tests/golden/api{strat,clus1,clus2}.csv  the api data sets, as the Python tests read them
#   tests/golden/survey_goldens.csv          one row per (case, domain, level)
# and reads tests/golden/seoul_sample.csv (made by make_seoul_sample.py).
# Every design is built from the CSV as written, so R and Python see the same numbers.
# Doubles are written with 17 significant digits so they round-trip exactly.

suppressPackageStartupMessages(library(survey))
options(survey.lonely.psu = "fail")
golden <- file.path("tests", "golden")

fmt_frame <- function(d) {
  for (k in names(d)) if (is.double(d[[k]])) d[[k]] <- ifelse(is.na(d[[k]]), NA, sprintf("%.17g", d[[k]]))
  d
}
write_golden <- function(d, name) write.csv(fmt_frame(d), file.path(golden, name), row.names = FALSE, na = "")

# ---- the api data sets, exported with the columns the tests use ----------------------------
data(api)
api_columns <- function(d) {
  data.frame(cds = d$cds, stype = as.character(d$stype), dnum = d$dnum, snum = d$snum,
             pw = d$pw, api00 = d$api00, api99 = d$api99, enroll = d$enroll,
             api_stu = d$api.stu, sch_wide = as.integer(d$sch.wide == "Yes"),
             awards = as.character(d$awards),
             api99_band = as.integer(cut(d$api99, c(-Inf, 500, 600, 700, Inf))))
}
strat <- cbind(api_columns(apistrat), fpc = apistrat$fpc)
clus1 <- cbind(api_columns(apiclus1), fpc = apiclus1$fpc)
clus2 <- cbind(api_columns(apiclus2), fpc1 = apiclus2$fpc1, fpc2 = apiclus2$fpc2)
write_golden(strat, "apistrat.csv")
write_golden(clus1, "apiclus1.csv")
write_golden(clus2, "apiclus2.csv")

read_back <- function(name) read.csv(file.path(golden, name), stringsAsFactors = FALSE)
designs <- list(
  apistrat = svydesign(id = ~1, strata = ~stype, weights = ~pw, fpc = ~fpc, data = read_back("apistrat.csv")),
  apiclus1 = svydesign(id = ~dnum, weights = ~pw, fpc = ~fpc, data = read_back("apiclus1.csv")),
  # Two stages without FPC: R's variance is then the with-replacement ultimate-cluster one.
  apiclus2 = svydesign(id = ~dnum + snum, weights = ~pw, data = read_back("apiclus2.csv")),
  seoul = svydesign(id = ~psu, strata = ~district, weights = ~weight, data = read_back("seoul_sample.csv"))
)
spec <- list(
  apistrat = list(numeric = c("api00", "enroll"), binary = "sch_wide", factor = "api99_band",
                  by = list("awards", c("stype", "awards")), ratio = c("api_stu", "enroll"), ciprop_by = list("stype")),
  apiclus1 = list(numeric = c("api00", "enroll"), binary = "sch_wide", factor = "api99_band",
                  by = list("stype", c("stype", "awards")), ratio = c("api_stu", "enroll"), ciprop_by = list("stype")),
  apiclus2 = list(numeric = c("api00", "enroll"), binary = "sch_wide", factor = "api99_band",
                  by = list("stype", c("stype", "awards")), ratio = c("api_stu", "enroll"), ciprop_by = list("stype")),
  seoul = list(numeric = c("happiness", "income"), binary = "satisfied", factor = "trust",
               by = list("district", c("sex", "age_group"), c("district", "sex", "age_group")),
               ratio = c("income", "household_size"),
               ciprop_by = list("district", c("sex", "age_group")))
)

rows <- list()
add <- function(case, domain, level, estimate, se = NA, deff = NA, ci = NULL, ci_t = NULL) {
  n <- length(estimate)
  if (is.null(ci)) ci <- matrix(NA_real_, n, 2)
  if (is.null(ci_t)) ci_t <- matrix(NA_real_, n, 2)
  rows[[length(rows) + 1]] <<- data.frame(
    case = case, domain = domain, level = level, estimate = as.vector(estimate),
    se = as.vector(se), deff = as.vector(deff), ci_low = ci[, 1], ci_high = ci[, 2],
    ci_t_low = ci_t[, 1], ci_t_high = ci_t[, 2], stringsAsFactors = FALSE)
}
# "trust3" -> "3" for a factor's levels; "" for a plain variable.
level_of <- function(names, variable) sub(paste0("^", variable), "", names)
domain_of <- function(res, by) do.call(paste, c(lapply(by, function(b) as.character(res[[b]])), sep = "|"))

overall <- function(case, stat, des, variable) {
  df <- degf(des)
  add(case, "", level_of(names(coef(stat)), variable), coef(stat), SE(stat),
      if (is.null(attr(stat, "deff"))) NA else diag(as.matrix(attr(stat, "deff"))),
      confint(stat), confint(stat, df = df))
}
by_table <- function(case, res, by, des, variable) {
  if (Sys.getenv("GOLDEN_DEBUG") != "") message(case)
  df <- degf(des)
  est <- coef(res)
  nstats <- attr(res, "svyby")$nstats
  stat_names <- gsub("statistics\\.", "", attr(res, "svyby")$variables)
  if (nstats == 1) stat_names <- variable
  domain <- rep(domain_of(res, by), times = nstats)
  level <- rep(level_of(stat_names, variable), each = nrow(res))
  se <- as.vector(as.matrix(SE(res)))
  add(case, domain, level, est, se, as.vector(as.matrix(deff(res))), wald(est, se, Inf), wald(est, se, df))
}
# R's tconfint, written out because confint.svyby fails on several statistics at once.
wald <- function(est, se, df, level = 0.95) {
  fac <- qt(c((1 - level) / 2, 1 - (1 - level) / 2), df)
  cbind(est + se * fac[1], est + se * fac[2])
}

for (name in names(designs)) {
  message("design ", name)
  des <- designs[[name]]
  s <- spec[[name]]
  add(paste(name, "degf", sep = ":"), "", "", degf(des))
  for (v in c(s$numeric, s$binary)) {
    f <- as.formula(paste0("~", v))
    overall(paste(name, "mean", v, sep = ":"), svymean(f, des, na.rm = TRUE, deff = TRUE), des, v)
    overall(paste(name, "total", v, sep = ":"), svytotal(f, des, na.rm = TRUE, deff = TRUE), des, v)
    for (by in s$by) {
      bf <- as.formula(paste0("~", paste(by, collapse = "+")))
      key <- paste(by, collapse = "+")
      by_table(paste(name, "mean", v, key, sep = ":"),
               svyby(f, bf, des, svymean, na.rm = TRUE, deff = TRUE), by, des, v)
      by_table(paste(name, "total", v, key, sep = ":"),
               svyby(f, bf, des, svytotal, na.rm = TRUE, deff = TRUE), by, des, v)
    }
  }
  v <- s$factor
  # A factor with all its levels fixed on the whole sample (factor() inside a formula would
  # drop the levels absent from a domain).
  des$variables[[v]] <- factor(des$variables[[v]])
  f <- as.formula(paste0("~", v))
  overall(paste(name, "proportion", v, sep = ":"), svymean(f, des, na.rm = TRUE, deff = TRUE), des, v)
  overall(paste(name, "count", v, sep = ":"), svytotal(f, des, na.rm = TRUE, deff = TRUE), des, v)
  for (by in s$by) {
    bf <- as.formula(paste0("~", paste(by, collapse = "+")))
    key <- paste(by, collapse = "+")
    by_table(paste(name, "proportion", v, key, sep = ":"),
             svyby(f, bf, des, svymean, na.rm = TRUE, deff = TRUE), by, des, v)
  }
  # Ratio estimator.
  num <- as.formula(paste0("~", s$ratio[1]))
  den <- as.formula(paste0("~", s$ratio[2]))
  key <- paste(s$ratio, collapse = "/")
  r <- svyratio(num, den, des, na.rm = TRUE, deff = TRUE)
  est <- as.vector(coef(r)); se <- as.vector(SE(r))
  add(paste(name, "ratio", key, sep = ":"), "", "", est, se, as.vector(attr(r, "deff")),
      confint(r), confint(r, df = degf(des)))
  by <- s$by[[1]]
  rb <- svyby(num, as.formula(paste0("~", by)), des, svyratio, denominator = den,
              na.rm = TRUE, deff = TRUE)
  se <- as.vector(as.matrix(SE(rb)))
  add(paste(name, "ratio", key, by, sep = ":"), domain_of(rb, by), "", coef(rb), se,
      as.vector(as.matrix(deff(rb))), wald(coef(rb), se, Inf), wald(coef(rb), se, degf(des)))
  # Intervals for a proportion (svyciprop), on the respondents to the item.
  b <- s$binary
  bf <- as.formula(paste0("~", b))
  answered <- des[!is.na(des$variables[[b]]), ]
  for (method in c("logit", "beta")) {
    p <- svyciprop(bf, answered, method = method)
    ci <- matrix(attr(p, "ci"), 1, 2)
    add(paste(name, paste0("ciprop_", method), b, sep = ":"), "", "", as.vector(p),
        sqrt(as.vector(attr(p, "var"))), NA, ci)
    for (by in s$ciprop_by) {
      key <- paste(by, collapse = "+")
      pb <- svyby(bf, as.formula(paste0("~", key)), answered, svyciprop, method = method,
                  vartype = c("se", "ci"))
      add(paste(name, paste0("ciprop_", method), b, key, sep = ":"), domain_of(pb, by), "",
          coef(pb), as.vector(as.matrix(SE(pb))), NA, cbind(pb$ci_l, pb$ci_u))
    }
  }
}
goldens <- do.call(rbind, rows)
write_golden(goldens, "survey_goldens.csv")
cat("wrote", nrow(goldens), "golden rows with R", R.version$major, ".", R.version$minor,
    "and survey", as.character(packageVersion("survey")), "\n")

# Issue 6: crosstabs with Rao-Scott tests, design-based regression, differences.
# Each script reads the committed inputs above and writes its own CSV.
for (script in c("golden_crosstab.R", "golden_regression.R", "golden_differences.R",
                 "golden_bad_input.R")) {
  source(file.path("tests", "golden", script))
}
