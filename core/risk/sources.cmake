# Sources of the risk model and 124D rules (issue 3).
target_sources(vigil_core PRIVATE
)
