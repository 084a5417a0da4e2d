-- The latest month with cost in the headline mart ('YYYY-MM'), NULL when there is none.
select strftime(max(month), '%Y-%m') from marts.fct_headline_monthly
