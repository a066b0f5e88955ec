FROM node:24
WORKDIR /app
COPY . .
# --ignore-scripts: the app's prepare script refuses to run in an image.
RUN npm install --ignore-scripts && npm run build
CMD ["npm", "start"]
