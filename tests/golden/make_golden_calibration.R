# Golden results from R's `survey` for analysis.estimation.calibration (rake, calibrate, trimming).
#
# Run by hand from the repository root, after make_golden.R (CI does not need R):
#   Rscript tests/golden/make_golden_calibration.R
# Needs Debian's r-base-core and r-cran-survey (R 4.2.2, survey 4.1-1). It reads
# tests/golden/apistrat.csv and seoul_sample.csv and writes
#   tests/golden/calibration_margins.csv   population totals: dataset, margin, category, total
#   tests/golden/calibration_goldens.csv   case, domain, estimate, se
#   tests/golden/calibration_weights_{apistrat,seoul}.csv  calibrated weights, one column per method
# A case is dataset:method:statistic:variable[:by1+by2]; method one of rake
# (rake(), control = list(maxit = 100, epsilon = 1e-10)), linear, raking, logit
# (calibrate(calfun=...), logit with bounds c(0.5, 2); maxit = 100, epsilon = 1e-10),
# trim (trimWeights(raked design, upper = 1.2 * its median weight ... see below), then
# calibrate(calfun = "raking")).

suppressPackageStartupMessages(library(survey))
options(survey.lonely.psu = "fail")
golden <- file.path("tests", "golden")
num <- function(x) sprintf("%.17g", x)
read_back <- function(name) read.csv(file.path(golden, name), stringsAsFactors = FALSE)

# ---- data and margins ---------------------------------------------------------------------
strat <- read_back("apistrat.csv")
strat$awards_yes <- as.integer(strat$awards == "Yes")
data(api)
seoul <- read_back("seoul_sample.csv")
seoul$sex_age <- sprintf("%d_%d", seoul$sex, seoul$age_group)

margin_rows <- list()
add_margin <- function(dataset, margin, categories, totals) {
  margin_rows[[length(margin_rows) + 1]] <<- data.frame(
    dataset = dataset, margin = margin, category = as.character(categories), total = num(totals))
}
# apistrat: the population counts of apipop.
pop_stype <- table(stype = as.character(apipop$stype))
pop_sw <- table(sch_wide = as.integer(apipop$sch.wide == "Yes"))
add_margin("apistrat", "stype", names(pop_stype), as.vector(pop_stype))
add_margin("apistrat", "sch_wide", names(pop_sw), as.vector(pop_sw))

# seoul: sample's weighted totals times 1.03, a few cells perturbed, grand totals equal.
wd <- tapply(seoul$weight, seoul$district, sum)
wsa <- tapply(seoul$weight, seoul$sex_age, sum)
pd <- wd * 1.03
pd[1:4] <- pd[1:4] * c(1.06, 0.95, 1.04, 0.97)
grand <- sum(pd)
psa <- wsa * grand / sum(wsa)
psa[c(1, 5, 9, 12)] <- psa[c(1, 5, 9, 12)] * c(0.94, 1.05, 1.07, 0.96)
psa <- psa * grand / sum(psa)
add_margin("seoul", "district", names(pd), as.vector(pd))
add_margin("seoul", "sex_age", names(psa), as.vector(psa))
margins <- do.call(rbind, margin_rows)
write.csv(margins, file.path(golden, "calibration_margins.csv"), row.names = FALSE)
margins <- read_back("calibration_margins.csv")  # the totals exactly as Python reads them
pop_of <- function(dataset, margin) {
  m <- margins[margins$dataset == dataset & margins$margin == margin, ]
  d <- data.frame(m$category, Freq = m$total)
  names(d)[1] <- margin
  d
}

designs <- list(
  apistrat = svydesign(id = ~1, strata = ~stype, weights = ~pw, fpc = ~fpc, data = strat),
  seoul = svydesign(id = ~psu, strata = ~district, weights = ~weight, data = seoul)
)
spec <- list(
  apistrat = list(margins = c("stype", "sch_wide"), score = "api00", item = "awards_yes",
                  by = list("stype", "awards")),
  seoul = list(margins = c("district", "sex_age"), score = "happiness", item = "satisfied",
               by = list("district", c("sex", "age_group")))
)

# ---- calibrated designs ---------------------------------------------------------------------
calibrated <- function(name) {
  des <- designs[[name]]
  mar <- spec[[name]]$margins
  des$variables[mar] <- lapply(des$variables[mar], as.character)
  pops <- lapply(mar, function(m) pop_of(name, m))
  for (k in seq_along(mar)) pops[[k]][[mar[k]]] <- as.character(pops[[k]][[mar[k]]])
  forms <- lapply(mar, function(m) as.formula(paste("~", m)))
  # calibrate(): R's model matrix (intercept + treatment dummies, levels sorted).
  f <- as.formula(paste("~", paste(mar, collapse = "+")))
  pop_vec <- sum(pops[[1]]$Freq)
  for (k in seq_along(mar)) {
    p <- pops[[k]][order(pops[[k]][[mar[k]]]), ]
    pop_vec <- c(pop_vec, p$Freq[-1])
  }
  ctl <- list(maxit = 100, epsilon = 1e-10)
  raked <- rake(des, forms, pops, control = ctl)
  cal <- function(calfun, ...) calibrate(des, f, pop_vec, calfun = calfun, maxit = 100, epsilon = 1e-10, ...)
  median_w <- median(weights(raked))
  trimmed <- trimWeights(raked, upper = 1.5 * median_w)
  list(rake = raked, linear = cal("linear"), raking = cal("raking"),
       logit = cal("logit", bounds = c(0.5, 2)),
       trim = calibrate(trimmed, f, pop_vec, calfun = "raking", maxit = 100, epsilon = 1e-10),
       trim_cap = 1.5 * median_w)
}

rows <- list()
add <- function(case, domain, estimate, se) {
  rows[[length(rows) + 1]] <<- data.frame(case = case, domain = domain,
    estimate = num(as.vector(estimate)), se = num(as.vector(se)), stringsAsFactors = FALSE)
}
for (name in names(designs)) {
  cds <- calibrated(name)
  s <- spec[[name]]
  add(paste(name, "trim", "cap", "", sep = ":"), "", cds$trim_cap, NA)
  w <- data.frame(row = seq_len(nrow(designs[[name]]$variables)))
  for (method in c("rake", "linear", "raking", "logit", "trim")) {
    des <- cds[[method]]
    w[[method]] <- sprintf("%.12g", weights(des))
    for (variable in c(s$score, s$item)) {
      fm <- as.formula(paste("~", variable))
      for (stat in c("mean", "total")) {
        fun <- if (stat == "mean") svymean else svytotal
        est <- fun(fm, des, na.rm = TRUE)
        add(paste(name, method, stat, variable, sep = ":"), "", coef(est), SE(est))
        for (by in s$by) {
          res <- svyby(fm, as.formula(paste("~", paste(by, collapse = "+"))), des, fun, na.rm = TRUE)
          dom <- do.call(paste, c(lapply(by, function(b) as.character(res[[b]])), sep = "|"))
          add(paste(name, method, stat, variable, paste(by, collapse = "+"), sep = ":"), dom,
              coef(res), SE(res))
        }
      }
    }
  }
  write.csv(w, file.path(golden, paste0("calibration_weights_", name, ".csv")), row.names = FALSE)
}
write.csv(do.call(rbind, rows), file.path(golden, "calibration_goldens.csv"), row.names = FALSE, na = "")
