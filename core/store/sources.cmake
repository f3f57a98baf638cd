target_sources(vigil_core PRIVATE
)
