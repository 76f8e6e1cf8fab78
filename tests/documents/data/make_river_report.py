"""Makes river-report.docx (see README.md); LibreOffice then makes river-report.pdf from it."""
import io

import docx
from docx.shared import Inches
from PIL import Image, ImageDraw

picture = Image.new("RGB", (400, 200), (30, 120, 200))
ImageDraw.Draw(picture).ellipse((50, 20, 350, 180), fill=(250, 200, 40))
png = io.BytesIO()
picture.save(png, "PNG")
png.seek(0)
doc = docx.Document()
doc.add_heading("Annual report of the river project", level=1)
doc.add_paragraph("The river project cleaned the water of the city in the last year. The teams worked every day "
                  "with the schools and the farmers, and the results are good.")
doc.add_heading("The results", level=2)
table = doc.add_table(rows=3, cols=3)
table.style = "Table Grid"
for r, row in enumerate([["Place", "Water", "People"], ["North", "Clean", "Many"], ["South", "Better", "Few"]]):
    for c, text in enumerate(row):
        table.cell(r, c).text = text
doc.add_paragraph("The picture shows the sun over the river.")
doc.add_picture(png, width=Inches(3))
doc.add_heading("The next year", level=2)
doc.add_paragraph("In the next year the project will work with more cities. The water of the river will be "
                  "better for the children and for the animals.")
doc.save("river-report.docx")
