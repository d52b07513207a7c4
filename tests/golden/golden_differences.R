# Golden results for analysis.estimation.differences (differences of two estimates and their SEs).
#
# Standalone from the repository root:   Rscript tests/golden/golden_differences.R
# or sourced from make_golden.R (it defines everything it needs and only reads the
# committed CSVs apistrat.csv, apiclus1.csv, seoul_sample.csv). Writes
#   tests/golden/difference_goldens.csv   one row per case:
#   case, estimate_a, se_a, estimate_b, se_b, difference, se
# Cases:
#   domain:<data>:<statistic>:<variable>[=<level>]:<by>:<a>-<b>
#       svycontrast(svyby(~y, ~by, design, svymean|svytotal, covmat = TRUE), c(1, -1)).
#       survey 4.1-1's svyby(covmat = TRUE) fails with na.rm = TRUE (influence functions
#       of different lengths), so the design is first restricted to the item's
#       respondents with `[` — which keeps every PSU in the variance, exactly as na.rm.
#       The covariance is also checked against the delta method on four totals.
#   independent:<data a>-<data b>:mean:<variable>
#       two independently drawn samples of California schools: svymean on each,
#       se = sqrt(se_a^2 + se_b^2).
#   panel:seoul:<overlap>:mean:happiness[:sex=<s>]
#       two synthetic "waves" made from seoul_sample.csv (row r is household r, stratum
#       its district): wave a holds rows with r %% 10 != 0 and wave b rows with
#       r %% 7 != 0 ("partial"), or odd / even rows ("none"); wave b's item is
#       happiness + (r %% 3) - 1 clipped to 0..10 and its weight weight * (1 + (r %% 5)/10).
#       Stacked by household (psu = household, strata = district), the change of the
#       mean is svycontrast(svytotal(~wya + wa + wyb + wb), quote(wya/wa - wyb/wb)).
#   panel_raked:seoul:<overlap>:mean:happiness[:sex=<s>]
#       the same waves, each raked to its own margins (see the block below): the
#       calibration-aware joint SE of the change.
# Doubles are written with 17 significant digits.

suppressPackageStartupMessages(library(survey))
local({
  options(survey.lonely.psu = "fail")
  golden <- file.path("tests", "golden")
  read_golden <- function(name) read.csv(file.path(golden, name), stringsAsFactors = FALSE)
  seoul <- read_golden("seoul_sample.csv")
  designs <- list(
    seoul = svydesign(id = ~psu, strata = ~district, weights = ~weight, data = seoul),
    apistrat = svydesign(id = ~1, strata = ~stype, weights = ~pw, fpc = ~fpc,
                         data = read_golden("apistrat.csv")),
    apiclus1 = svydesign(id = ~dnum, weights = ~pw, fpc = ~fpc, data = read_golden("apiclus1.csv"))
  )
  rows <- list()
  num <- function(x) as.vector(unlist(x))  # SE(svyby) is a data frame, coef a named vector
  add <- function(case, est_a, se_a, est_b, se_b, difference, se) {
    rows[[length(rows) + 1]] <<- data.frame(
      case = case, estimate_a = num(est_a), se_a = num(se_a), estimate_b = num(est_b),
      se_b = num(se_b), difference = num(difference), se = num(se), stringsAsFactors = FALSE)
  }

  # ---- two domains of one design: joint linearization (covmat = TRUE) ------------------------
  domain_case <- function(data, statistic, variable, by, a, b, level = NULL) {
    des <- designs[[data]]
    des <- des[!is.na(des$variables[[variable]]), ]
    item <- variable
    if (!is.null(level)) {
      item <- "indicator_"
      des <- update(des, indicator_ = as.numeric(des$variables[[variable]] == level))
    }
    fun <- if (statistic == "total") svytotal else svymean
    res <- svyby(as.formula(paste0("~", item)), as.formula(paste0("~", by)), des, fun, covmat = TRUE)
    keys <- as.character(res[[by]])
    contrast <- as.numeric(keys == as.character(a)) - as.numeric(keys == as.character(b))
    con <- svycontrast(res, contrast)
    # Cross-check the covariance with the delta method on four domain totals.
    g <- des$variables[[by]]
    y <- des$variables[[item]]
    des <- update(des, ya_ = ifelse(g == a, y, 0), yb_ = ifelse(g == b, y, 0),
                  na_ = as.numeric(g == a), nb_ = as.numeric(g == b))
    tot <- svytotal(~ya_ + yb_ + na_ + nb_, des)
    check <- if (statistic == "total") svycontrast(tot, quote(ya_ - yb_))
             else svycontrast(tot, quote(ya_ / na_ - yb_ / nb_))
    stopifnot(isTRUE(all.equal(as.vector(SE(con)), as.vector(SE(check)), tolerance = 1e-10)))
    ia <- match(as.character(a), keys)
    ib <- match(as.character(b), keys)
    se <- SE(res)
    name <- paste0(variable, if (is.null(level)) "" else paste0("=", level))
    add(paste("domain", data, statistic, name, by, paste0(a, "-", b), sep = ":"),
        coef(res)[ia], se[ia], coef(res)[ib], se[ib], as.vector(coef(con)), as.vector(SE(con)))
  }
  domain_case("seoul", "mean", "happiness", "sex", 1, 2)
  domain_case("seoul", "proportion", "satisfied", "age_group", 1, 7)
  domain_case("seoul", "proportion", "trust", "sex", 2, 1, level = 5)
  domain_case("seoul", "total", "income", "sex", 1, 2)
  domain_case("seoul", "mean", "income", "district", 11110, 11680)
  domain_case("apistrat", "mean", "api00", "stype", "E", "H")
  domain_case("apiclus1", "mean", "api00", "stype", "E", "M")

  # ---- two independent samples: zero covariance -----------------------------------------------
  ma <- svymean(~api00, designs$apistrat)
  mb <- svymean(~api00, designs$apiclus1)
  add("independent:apistrat-apiclus1:mean:api00", coef(ma), SE(ma), coef(mb), SE(mb),
      coef(ma) - coef(mb), sqrt(SE(ma)^2 + SE(mb)^2))

  # ---- two waves of one panel: stacked household design ---------------------------------------
  r <- seq_len(nrow(seoul))
  y_b <- pmin(pmax(seoul$happiness + (r %% 3) - 1, 0), 10)
  w_b <- seoul$weight * (1 + (r %% 5) / 10)
  panel_case <- function(overlap, in_a, in_b, sex = NULL) {
    keep <- in_a | in_b
    dom <- if (is.null(sex)) rep(TRUE, nrow(seoul)) else seoul$sex == sex
    ok_a <- in_a & dom & !is.na(seoul$happiness)
    ok_b <- in_b & dom & !is.na(y_b)
    stacked <- data.frame(
      unit = r, district = seoul$district,
      wa = ifelse(ok_a, seoul$weight, 0), wya = ifelse(ok_a, seoul$weight * seoul$happiness, 0),
      wb = ifelse(ok_b, w_b, 0), wyb = ifelse(ok_b, w_b * y_b, 0))[keep, ]
    des <- svydesign(id = ~unit, strata = ~district, weights = ~1, data = stacked)
    tot <- svytotal(~wya + wa + wyb + wb, des)
    ca <- svycontrast(tot, quote(wya / wa))
    cb <- svycontrast(tot, quote(wyb / wb))
    cd <- svycontrast(tot, quote(wya / wa - wyb / wb))
    case <- paste("panel", "seoul", overlap, "mean", "happiness", sep = ":")
    if (!is.null(sex)) case <- paste0(case, ":sex=", sex)
    add(case, coef(ca), SE(ca), coef(cb), SE(cb), coef(cd), SE(cd))
  }
  panel_case("partial", r %% 10 != 0, r %% 7 != 0)
  panel_case("partial", r %% 10 != 0, r %% 7 != 0, sex = 1)
  panel_case("partial", r %% 10 != 0, r %% 7 != 0, sex = 2)
  panel_case("none", r %% 2 == 1, r %% 2 == 0)

  # ---- two waves, each raked to its own margins: the calibration-aware joint SE ----------------
  # The same waves; each wave's weights raked to households by district and by sex (the
  # population: 1.05 x the sample's weighted totals). Stacked by household and raked to the
  # wave x district and wave x sex margins — which rakes each wave to its own margins — the
  # change is svycontrast(svytotal(~ya + na + yb + nb, raked), quote(ya/na - yb/nb)) with
  # R's rake() variance (residuals of the back-fitted post-strata). (svyby(covmat = TRUE)
  # cannot be used: survey 4.1-1 fails on a subset of a raked design.)
  pop_district <- tapply(seoul$weight, seoul$district, sum) * 1.05
  pop_sex <- tapply(seoul$weight, seoul$sex, sum) * 1.05
  ctl <- list(maxit = 100, epsilon = 1e-10)
  wave_rows <- function(name, keep, w, y) {
    data.frame(unit = r, district = seoul$district, sex = seoul$sex, wave = name, w = w,
               y = y, stringsAsFactors = FALSE)[keep, ]
  }
  panel_cal_case <- function(overlap, in_a, in_b, sex = NULL) {
    stacked <- rbind(wave_rows("a", in_a, seoul$weight, seoul$happiness),
                     wave_rows("b", in_b, w_b, y_b))
    stacked$wd <- paste(stacked$wave, stacked$district, sep = ".")
    stacked$ws <- paste(stacked$wave, stacked$sex, sep = ".")
    inside <- !is.na(stacked$y) & (if (is.null(sex)) TRUE else stacked$sex == sex)
    in_wave <- function(name) as.numeric(stacked$wave == name & inside)
    stacked$na_ <- in_wave("a")
    stacked$nb_ <- in_wave("b")
    stacked$ya_ <- ifelse(stacked$na_ == 1, stacked$y, 0)
    stacked$yb_ <- ifelse(stacked$nb_ == 1, stacked$y, 0)
    waves <- rep(c("a", "b"), each = length(pop_district))
    pd <- data.frame(wd = paste(waves, names(pop_district), sep = "."),
                     Freq = rep(as.vector(pop_district), 2))
    ws_waves <- rep(c("a", "b"), each = length(pop_sex))
    ps <- data.frame(ws = paste(ws_waves, names(pop_sex), sep = "."),
                     Freq = rep(as.vector(pop_sex), 2))
    des <- svydesign(id = ~unit, strata = ~district, weights = ~w, data = stacked)
    raked <- rake(des, list(~wd, ~ws), list(pd, ps), control = ctl)
    # domain means as ratios of totals: the item's missing values and other domains are
    # zero in both totals (what na.rm and svyby do), the influence residualized by rake's
    # back-fitting, the ratio linearized by svycontrast (delta method)
    tot <- svytotal(~ya_ + na_ + yb_ + nb_, raked)
    ca <- svycontrast(tot, quote(ya_ / na_))
    cb <- svycontrast(tot, quote(yb_ / nb_))
    cd <- svycontrast(tot, quote(ya_ / na_ - yb_ / nb_))
    case <- paste("panel_raked", "seoul", overlap, "mean", "happiness", sep = ":")
    if (!is.null(sex)) case <- paste0(case, ":sex=", sex)
    add(case, coef(ca), SE(ca), coef(cb), SE(cb), coef(cd), SE(cd))
  }
  panel_cal_case("partial", r %% 10 != 0, r %% 7 != 0)
  panel_cal_case("partial", r %% 10 != 0, r %% 7 != 0, sex = 2)
  panel_cal_case("none", r %% 2 == 1, r %% 2 == 0)

  out <- do.call(rbind, rows)
  rownames(out) <- NULL
  for (k in names(out)) if (is.double(out[[k]])) out[[k]] <- sprintf("%.17g", out[[k]])
  write.csv(out, file.path(golden, "difference_goldens.csv"), row.names = FALSE)
  cat("wrote", nrow(out), "difference golden rows\n")
})
