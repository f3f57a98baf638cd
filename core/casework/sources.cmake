# Victim casework (issue 24): the Victims' Code clock, working days over the England and Wales
# bank-holiday list (core/risk-models/bank-holidays-england-and-wales.json), London civil time,
# protective orders (notices, orders, bail conditions, Clare's Law disclosures, breaches) and
# victim feedback forms.
target_sources(vigil_core PRIVATE
  casework/Case.cpp
  casework/CaseEvent.cpp
  casework/FeedbackForms.cpp
  casework/LondonTime.cpp
  casework/Orders.cpp
  casework/OrdersRules.cpp
  casework/SafeContactRules.cpp
  casework/VictimsCode.cpp
  casework/VictimsCodeRules.cpp
  casework/WorkingDays.cpp
)
