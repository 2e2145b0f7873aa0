"""Word lists for the sensitivity check (``bot/sensitivity.py``): kept apart so the patterns stay readable.

Every list here trades a miss for quiet: a surname that is also a common capitalised word ("Mr Day") is
missed, and a given name that is also an ordinary word ("Will", "May", "Grace") is left out of the
given-names list.
"""

from __future__ import annotations


def _words(text: str) -> list[str]:
    return text.split()


# Capitalised words that follow a rank or title in ordinary writing: headings, Title Case phrases,
# product names. A surname that is also one of these ("Mr Day") is missed; that is the trade-off.
_COMMON_CAPITALISED = """
    The A An And Or Of For To In On At By With From Our Your Their This That These Those All Any Each Every
    Training Trainer Trainers Team Teams Role Roles Course Courses Day Days Week Network Networks Officer
    Officers Office Offices Unit Units Station Stations Scheme Schemes Project Projects Programme Pilot Pilots
    Support Guidance Policy Forum Lead Leads Led Network Group Groups Hub Hubs Strategy Plan Plans Board Panel
    Meeting Meetings Review Reviews Service Services Standards Standard Uplift Recruitment Recruits Wellbeing
    Welfare Tutor Tutors Tutorship Student Students Apprenticeship Apprentices Probation Probationer
    Probationers Entry Degree Programmes Cohort Cohorts Workforce Shift Shifts Rota Rotas Patrol Patrols
    Response Neighbourhood Neighbourhoods Volunteers Volunteer Specials Special Powers Power World Games
    Game Club Software Hardware Laptop Laptops Devices Device App Apps Portal Form Forms Handbook Manual
    Manuals Toolkit Toolkits Checklist Checklists Briefing Briefings Guide Guides Survey Surveys Who
    Police Policing Force Forces Constabulary Custody Control Room Rooms Crime Crimes Call Calls Contact
    Vehicle Vehicles Car Cars Van Vans Bike Bikes Radio Radios Kit Uniform Uniforms Body Worn Camera Cameras
    Video Videos Mental Health Safeguarding Domestic Abuse Knife Knives County Lines Drugs Drug Missing
    Persons Person People Public Community Communities Partnership Partnerships Local National Regional
    Development Development Learning Skills Exam Exams Promotion Promotions Assessment Assessments
    Sergeants Inspectors Constables Detectives Investigators Supervisors Managers Staff Colleagues
    Thanks Please Note Remember Comics
"""
NOT_SURNAMES = frozenset(_words(_COMMON_CAPITALISED)) | frozenset(_words("""
    Road Street Lane Avenue Close Drive Way Crescent Terrace Place Grove Court Gardens Square Walk Row Mews
    Parade Estate Centre Hospital School Academy College University Police
"""))

# Common given names in England and Wales (ONS baby-name lists across the decades of today's adults and
# children), without those that are everyday words ("Will", "May", "Grace", "Mark", "Rose", "Faith").
# A given name followed by a capitalised surname is flagged without a title or rank: "Sarah Jenkins".
GIVEN_NAMES = frozenset(_words("""
    Aaron Abdul Abigail Adam Adrian Ahmed Aidan Aisha Alan Albert Alex Alexander Alexandra Alfie Ali Alice
    Alison Amanda Amber Amelia Amir Amy Andrew Andy Angela Ann Anna Anne Anthony Archie Arthur Ashley Ava
    Barbara Barry Ben Benjamin Beth Bethany Beverley Billy Bradley Brandon Brian Bruce Callum Cameron Carl Carol
    Caroline Catherine Charlie Charlotte Chelsea Chloe Chris Christine Christopher Claire Colin Connor Craig
    Daisy Dale Damian Daniel Danielle Danny Darren Dave David Dean Debbie Deborah Declan Denise Dennis Derek
    Diane Dominic Donna Dylan Edward Eileen Elaine Eleanor Elizabeth Ella Ellie Emily Emma Eric Ethan Evie
    Fatima Fiona Frances Francesca Frank Freya Gail Gareth Gary Gavin Gemma Geoffrey George Georgia Gerald
    Gillian Glen Gordon Graham Greg Gregory Hannah Harriet Harrison Harry Harvey Hassan Hayley Heather Helen
    Henry Holly Hugh Hussain Ian Imran Isaac Isabel Isabella Isabelle Isla Jack Jackie Jacob Jade Jake James
    Jamie Jane Janet Jasmine Jason Jayden Jean Jeff Jenna Jennifer Jenny Jeremy Jessica Jill Joanna Joanne Joe
    Joel John Jon Jonathan Jordan Joseph Josh Joshua Joyce Julie Julia Justin Karen Kate Katherine Kathleen
    Katie Kayleigh Keith Kelly Kerry Kevin Khalid Kieran Kim Kirsty Kyle Laura Lauren Leah Lee Leon Lewis Liam
    Lily Linda Lisa Logan Louise Lucy Luke Lynn Lynne Malcolm Mandy Margaret Maria Marie Martin Mary Mason
    Matthew Megan Melanie Melissa Michael Michelle Mia Millie Mohammed Mohammad Muhammad Molly Naomi Natalie
    Nathan Neil Nicholas Nicola Niamh Nigel Noah Oliver Olivia Omar Oscar Owen Pamela Patricia Paul Paula
    Pauline Peter Philip Phillip Poppy Priya Rachel Rebecca Reece Rhys Richard Robert Robyn Roger Ronald Ross
    Ruby Russell Ruth Ryan Sadia Sally Sam Samantha Samuel Sandra Sara Sarah Scott Sean Shane Sharon Shaun
    Sheila Simon Sophie Stacey Stephanie Stephen Steve Steven Stuart Susan Suzanne Tariq Teresa Theo Thomas Tim
    Timothy Toby Tom Tony Tracey Tracy Trevor Tyler Usman Vanessa Vicky Vincent Wayne Wendy William Yasmin Yusuf
    Zach Zara Zoe
"""))

# What follows a house number and a capitalised name in a street address ("12 Moor Park Avenue"), and
# one-word northern street names ending in -gate ("12 Fishergate").
STREET_SUFFIXES = frozenset(_words("""
    Road Rd Street St Lane Ln Avenue Ave Close Drive Dr Way Crescent Terrace Place Grove Court Gardens Square
    Walk Row Mews Parade Rise Brow Fold Croft Hill View Vale Wharf Wynd Gate
"""))
